import { describe, expect, it } from 'vitest';
import { createContainer, resolvePlugin } from '@glmm/core';
import { runFamilyConformance } from '@glmm/testing';
import { familyPoissonBundle, poissonFamily } from '@glmm/family-poisson';

// Expected values: R 4.2.2, poisson()$dev.resids and poisson()$aic, printed with %.17g.
// By hand: y = 3, mu = 2 gives 2 (3 log(3/2) - 1) = 0.43279064864898631; y = 0, mu = 0.5 gives 2 mu = 1.
runFamilyConformance(poissonFamily, {
  validY: [0, 1, 2, 5, 17, 300],
  invalidY: [{ y: [1, -1] }, { y: [1, 2.5] }, { y: [NaN, 1] }, { y: [Infinity] }],
  validMu: [1e-3, 0.5, 3, 250],
  invalidMu: [[1, 0], [1, -2], [Infinity]],
  variance: { mu: [0.5, 3, 250], expected: [0.5, 3, 250] },
  startingMu: [0.1, 1.1, 2.1, 5.1, 17.1, 300.1],
  knownValues: [
    { label: 'y = 3, mu = 2', y: [3], mu: [2], devResiduals: [0.43279064864898631], deviance: 0.43279064864898631, aic: 2 * 1.7123179275482192 },
    {
      label: 'weighted, with a zero count',
      y: [0, 3, 1, 7, 12],
      mu: [0.5, 2, 1.4, 9.1, 10],
      wt: [1, 1, 2, 1, 0.5],
      devResiduals: [1, 0.43279064864898631, 0.25411105351514807, 0.52690029745512534, 0.18785868152745522],
      deviance: 2.4016606811467147,
      aic: 15.369421221156493,
    },
    {
      label: 'large counts (saddle-point dpois)',
      y: [1500, 2200],
      mu: [1480.5, 2301.2],
      deviance: 4.7729098179494045,
      aic: 23.458283845889774,
    },
  ],
  latentVariance: [
    // ln(1 + 1/lambda), lambda = exp(0.5 + 0.4/2)
    { link: 'log', context: { dispersion: 1, meanEta: 0.5, randomVariance: 0.4 }, value: 0.40318604888545784 },
    { link: 'sqrt', context: { dispersion: 1, meanEta: 0.5, randomVariance: 0.4 }, value: 0.25 },
    { link: 'identity', context: { dispersion: 1, meanEta: 0.5, randomVariance: 0.4 }, value: null },
  ],
});

describe('poisson family', () => {
  it('is registered by its bundle', () => {
    expect(resolvePlugin(createContainer(familyPoissonBundle), 'family', 'poisson')).toBe(poissonFamily);
  });

  it('gives a one-line reason with the offending row count', () => {
    expect(poissonFamily.checkResponse(Float64Array.of(0, 1.5, -2, 4), new Float64Array(4).fill(1))).toBe(
      'values must be non-negative integers (counts); 2 of 4 rows are not',
    );
  });
});

describe('poisson aic at the saturated model', () => {
  it('equals the density sum with cached and uncached counts, weights and non-saturated rows alike', async () => {
    const { dpoisLog } = await import('@glmm/distributions');
    const y = Float64Array.from([0, 1, 2, 3, 3, 7, 1023, 1024, 1500, 4, 0, 9]);
    const wt = Float64Array.from([1, 2, 1, 0.5, 1, 1, 1, 1, 1, 3, 1, 0]);
    const mu = Float64Array.from(y, (v, i) => (i === 4 ? 2.5 : v));
    let direct = 0;
    for (let i = 0; i < y.length; i++) if (wt[i] !== 0) direct += dpoisLog(y[i]!, mu[i]!) * wt[i]!;
    const n = new Float64Array(y.length).fill(1);
    // Twice: the second call reads the cache the first one filled.
    expect(poissonFamily.aic(y, n, mu, wt, 0)).toBeCloseTo(-2 * direct, 10);
    expect(poissonFamily.aic(y, n, mu, wt, 0)).toBe(poissonFamily.aic(y, n, mu, wt, 0));
    expect(Math.abs(poissonFamily.aic(y, n, mu, wt, 0) + 2 * direct)).toBeLessThan(1e-9 * Math.abs(direct));
  });
});
