import { describe, expect, it } from 'vitest';
import { createContainer, resolvePlugin } from '@glmm/core';
import { loadFamilyValues } from '@glmm/datasets';
import { runFamilyConformance } from '@glmm/testing';
import { familyGaussianBundle, gaussianFamily } from '@glmm/family-gaussian';

const gaussianMl = loadFamilyValues().gaussian_ml;

// Expected values: R 4.2.2, gaussian()$dev.resids and gaussian()$aic, printed with %.17g.
// By hand: dev = 0.04 + 2 * 0.36 + 0.5 * 0.64 + 0.04 = 1.12;
// aic = 4 (log(2 pi 1.12 / 4) + 1) + 2 - log(2) - log(0.5) = 8.25964556...
runFamilyConformance(gaussianFamily, {
  validY: [-3.2, 0, 1.5, 42],
  invalidY: [{ y: [1, NaN] }, { y: [Infinity, 2] }],
  validMu: [-10, 0, 0.5, 100],
  invalidMu: [[1, NaN]],
  variance: { mu: [-2, 0, 7], expected: [1, 1, 1] },
  startingMu: [-3.2, 0, 1.5, 42],
  knownValues: [
    {
      label: 'weighted',
      y: [1.2, -0.5, 3.3, 2.0],
      mu: [1.0, 0.1, 2.5, 2.2],
      wt: [1, 2, 0.5, 1],
      devResiduals: [0.04, 0.72, 0.32, 0.04],
      deviance: 1.12,
      aic: 8.2596455623858311,
    },
    {
      label: 'unit weights',
      y: [1.2, -0.5, 3.3, 2.0],
      mu: [1.0, 0.1, 2.5, 2.2],
      deviance: 1.08,
      aic: 8.1141749857023306,
    },
  ],
  latentVariance: [
    { link: 'identity', context: { dispersion: 2.5, meanEta: 1, randomVariance: 3 }, value: 2.5 },
    { link: 'log', context: { dispersion: 2.5, meanEta: 1, randomVariance: 3 }, value: null },
  ],
  // sigma^2 by ML (--dispersion ml): at(phi) against R's dev.resids / phi and
  // -2 sum(log dnorm(y, mu, sqrt(phi / wt))), make-family-values.R.
  parameter: {
    values: gaussianMl.map((g) => g.dispersion),
    invalidValues: [0, -1, NaN, Infinity],
    knownValues: gaussianMl.map((g) => ({
      at: g.dispersion,
      label: `dnorm at dispersion ${g.dispersion}`,
      y: g.y,
      mu: g.mu,
      wt: g.wt,
      devResiduals: g.dev_resids,
      deviance: g.deviance,
      aic: g.minus2loglik,
    })),
    variance: [{ at: 2.5, mu: [-2, 0, 7], expected: [2.5, 2.5, 2.5] }],
    // The residual variance on the identity scale is phi itself, whatever the context carries.
    latentVariance: [{ at: 2.5, link: 'identity', context: { dispersion: 9, meanEta: 1, randomVariance: 3 }, value: 2.5 }],
  },
});

describe('gaussian family', () => {
  it('is registered by its bundle', () => {
    expect(resolvePlugin(createContainer(familyGaussianBundle), 'family', 'gaussian')).toBe(gaussianFamily);
  });

  it('names the offending row count', () => {
    expect(gaussianFamily.checkResponse(Float64Array.of(1, NaN, Infinity), new Float64Array(3).fill(1))).toBe(
      'values must be finite numbers; 2 of 3 rows are not',
    );
  });
});
