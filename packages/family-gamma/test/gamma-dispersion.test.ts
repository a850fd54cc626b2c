import { describe, expect, it } from 'vitest';
import { gammaDevResiduals, gammaFamily, gammaVariance } from '@glmm/family-gamma';

const y = Float64Array.of(0.8, 2.5, 1.1, 4.2, 0.3);
const mu = Float64Array.of(1.0, 2.0, 1.5, 3.0, 0.6);
const wt = Float64Array.of(1, 1, 2, 1, 1);
const n = new Float64Array(5).fill(1);

describe('Gamma dispersion estimated by ML (Family.parameter)', () => {
  const parameter = gammaFamily.parameter!;
  const fixed = parameter.at(0.3);

  it('is an optional dispersion on (0, Infinity)', () => {
    expect(parameter.name).toBe('dispersion');
    expect(parameter.required).toBe(false);
    expect(parameter.isDispersion).toBe(true);
    expect([parameter.lower, parameter.upper]).toEqual([0, Infinity]);
  });

  it('at(phi) has the exact -2 log-likelihood as aic (R: dgamma with shape 1/phi, scale mu phi)', () => {
    // R 4.2.2: -2 * sum(wt * dgamma(y, shape = 1/0.3, scale = mu * 0.3, log = TRUE)), %.17g.
    expect(fixed.aic(y, n, mu, wt, 0)).toBeCloseTo(8.9566489571640791, 12);
    // ... and with mu = y (the saturated model): 6.3323058424102232.
    expect(fixed.aic(y, n, y, wt, 0)).toBeCloseTo(6.3323058424102232, 12);
  });

  it('at(phi): deviance residuals over phi sum to aic(mu) - aic(y); variance phi mu^2; nothing left to estimate', () => {
    const dev = fixed.devResiduals(y, mu, wt);
    const unit = gammaDevResiduals(y, mu, wt);
    dev.forEach((d, i) => expect(d).toBeCloseTo(unit[i]! / 0.3, 13));
    const sum = dev.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(fixed.aic(y, n, mu, wt, 0) - fixed.aic(y, n, y, wt, 0), 12);
    const v = fixed.variance(mu);
    gammaVariance(mu).forEach((vi, i) => expect(v[i]).toBeCloseTo(0.3 * vi, 14));
    expect(fixed.varianceDerivative!(mu)[1]).toBeCloseTo(0.3 * 2 * 2, 14);
    expect(fixed.hasDispersion).toBe(false);
    expect(fixed.parameter).toBeUndefined();
    expect(fixed.canonicalLink).toBe(gammaFamily.canonicalLink);
  });

  it('starts at the Pearson estimate sum w ((y - mu) / mu)^2 / sum w', () => {
    const expected = [0.04, 0.0625, 2 * (0.4 / 1.5) ** 2, 0.16, 0.25].reduce((a, b) => a + b, 0) / 6;
    expect(parameter.start(y, mu, wt)).toBeCloseTo(expected, 14);
  });

  it('refuses a dispersion that is not a positive number', () => {
    expect(() => parameter.at(0)).toThrow(RangeError);
    expect(() => parameter.at(Number.NaN)).toThrow(RangeError);
  });
});
