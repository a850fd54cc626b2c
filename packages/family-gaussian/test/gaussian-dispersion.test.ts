import { describe, expect, it } from 'vitest';
import { gaussianFamily } from '@glmm/family-gaussian';

const y = Float64Array.of(0.8, 2.5, 1.1, 4.2, 0.3);
const mu = Float64Array.of(1.0, 2.0, 1.5, 3.0, 0.6);
const wt = Float64Array.of(1, 1, 2, 1, 1);
const n = new Float64Array(5).fill(1);

describe('gaussian dispersion estimated by ML (Family.parameter)', () => {
  const parameter = gaussianFamily.parameter!;
  const fixed = parameter.at(0.3);

  it('is an optional dispersion', () => {
    expect([parameter.name, parameter.required, parameter.isDispersion]).toEqual(['dispersion', false, true]);
  });

  it('at(phi): aic is the exact -2 log-likelihood (R: dnorm with sd sqrt(phi / w))', () => {
    // R 4.2.2: -2 * sum(dnorm(y, mu, sqrt(0.3 / wt), log = TRUE)), %.17g.
    expect(fixed.aic(y, n, mu, wt, 0)).toBeCloseTo(9.6097074631904356, 12);
  });

  it('at(phi): deviance residuals over phi sum to aic(mu) - aic(y); variance phi; nothing left to estimate', () => {
    const sum = fixed.devResiduals(y, mu, wt).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(fixed.aic(y, n, mu, wt, 0) - fixed.aic(y, n, y, wt, 0), 12);
    expect([...fixed.variance(mu)]).toEqual([0.3, 0.3, 0.3, 0.3, 0.3]);
    expect(fixed.hasDispersion).toBe(false);
    expect(fixed.parameter).toBeUndefined();
  });
});
