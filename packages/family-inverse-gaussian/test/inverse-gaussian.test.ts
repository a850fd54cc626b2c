import { describe, expect, it } from 'vitest';
import { createContainer, resolvePlugin } from '@glmm/core';
import { loadFamilyValues } from '@glmm/datasets';
import { runFamilyConformance } from '@glmm/testing';
import { familyInverseGaussianBundle, inverseGaussianAt, inverseGaussianFamily } from '@glmm/family-inverse-gaussian';

// Known values: R's inverse.gaussian() (variance, dev.resids, aic) and -2 sum(wt log dinvgauss) from
// statmod at three dispersions, from packages/datasets/r/make-family-values.R.
const ig = loadFamilyValues().ig_family;
const sum = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);

runFamilyConformance(inverseGaussianFamily, {
  validY: [0.01, 0.3, 1, 2.5, 40],
  invalidY: [{ y: [1, 0] }, { y: [1, -3] }, { y: [NaN] }, { y: [Infinity] }],
  validMu: [0.05, 1, 7.5, 300],
  invalidMu: [[1, 0], [-1], [NaN], [Infinity]],
  variance: { mu: ig.mu, expected: ig.variance },
  startingMu: [0.01, 0.3, 1, 2.5, 40],
  knownValues: [
    {
      label: "R's inverse.gaussian(): unit deviance, aic at the ML dispersion",
      y: ig.y,
      mu: ig.mu,
      wt: ig.wt,
      devResiduals: ig.dev_resids,
      deviance: ig.deviance,
      aic: ig.aic,
    },
  ],
  latentVariance: [
    { link: 'log', context: { dispersion: 0.4, meanEta: -0.5, randomVariance: 0.2 }, value: 0.23754181181334955 },
    { link: '1/mu^2', context: { dispersion: 0.4, meanEta: -0.5, randomVariance: 0.2 }, value: null },
  ],
  parameter: {
    values: ig.minus2loglik.map((m) => m.dispersion),
    invalidValues: [0, -1, NaN, Infinity],
    knownValues: ig.minus2loglik.map((m) => ({
      at: m.dispersion,
      label: `statmod dinvgauss at dispersion ${m.dispersion}; deviance residuals over the dispersion`,
      y: ig.y,
      mu: ig.mu,
      wt: ig.wt,
      devResiduals: ig.dev_resids.map((d) => d / m.dispersion),
      deviance: ig.deviance / m.dispersion,
      aic: m.value,
    })),
    variance: ig.minus2loglik.map((m) => ({ at: m.dispersion, mu: ig.mu, expected: ig.variance.map((v) => v * m.dispersion) })),
    latentVariance: [
      // ln(1 + phi lambda), lambda = exp(0.1 + 0 / 2)
      { at: 3, link: 'log', context: { dispersion: 99, meanEta: 0.1, randomVariance: 0 }, value: Math.log1p(3 * Math.exp(0.1)) },
      { at: 3, link: 'identity', context: { dispersion: 3, meanEta: 0.1, randomVariance: 0 }, value: null },
    ],
    // The ML dispersion at given means is the mean unit deviance (R's aic uses it).
    start: [{ y: ig.y, mu: ig.mu, wt: ig.wt, expected: ig.deviance / sum(ig.wt), tolerance: 1e-13 }],
  },
});

describe('inverse Gaussian family', () => {
  it('is registered by its bundle under the name users type', () => {
    expect(resolvePlugin(createContainer(familyInverseGaussianBundle), 'family', 'inverse_gaussian')).toBe(inverseGaussianFamily);
  });

  it("has R's links, 1/mu^2 canonical, and the dispersion as a required ML parameter", () => {
    expect(inverseGaussianFamily.canonicalLink).toBe('1/mu^2');
    expect([...inverseGaussianFamily.allowedLinks]).toEqual(['1/mu^2', 'inverse', 'identity', 'log']);
    const p = inverseGaussianFamily.parameter!;
    expect([p.name, p.required, p.lower, p.upper]).toEqual(['dispersion', true, 0, Infinity]);
    expect(inverseGaussianAt(0.5).canonicalLink).toBe('1/mu^2');
  });

  it("gives R's aic as the exact -2 log-likelihood at the ML dispersion plus 2", () => {
    const y = Float64Array.from(ig.y);
    const mu = Float64Array.from(ig.mu);
    const wt = Float64Array.from(ig.wt);
    const phi = ig.deviance / sum(ig.wt);
    const exact = inverseGaussianAt(phi).aic(y, new Float64Array(y.length).fill(1), mu, wt, 0);
    expect(Math.abs(exact + 2 - ig.aic)).toBeLessThan(1e-10);
  });

  it('keeps the deviance residual finite where (y - mu)^2 and y mu^2 overflow', () => {
    const d = inverseGaussianFamily.devResidualAt!(2, 1e200, 1);
    expect(d).toBeCloseTo(0.5, 12);
    expect(inverseGaussianAt(2).devResidualAt!(2, 1e304, 1)).toBeCloseTo(0.25, 12);
  });

  it('gives a one-line reason with the offending row count', () => {
    expect(inverseGaussianFamily.checkResponse(Float64Array.of(1, 0, -1), new Float64Array(3).fill(1))).toBe(
      'values must be positive (the inverse Gaussian family needs y > 0); 2 of 3 rows are not',
    );
  });
});
