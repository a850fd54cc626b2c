import { describe, expect, it } from 'vitest';
import { createContainer, resolvePlugin } from '@glmm/core';
import { loadFamilyValues } from '@glmm/datasets';
import { runFamilyConformance } from '@glmm/testing';
import {
  familyNegativeBinomialBundle,
  negativeBinomialAt,
  negativeBinomialFamily,
  shapeStart,
  SHAPE_START_CAP,
} from '@glmm/family-negative-binomial';
import { poissonFamily } from '@glmm/family-poisson';

// Known values: MASS's negative.binomial(theta) (variance, dev.resids), -2 sum(wt dnbinom(log = TRUE)) and
// MASS::theta.ml, from packages/datasets/r/make-family-values.R.  Without a fixed shape the family is
// the Poisson limit: R's poisson() values, as in the Poisson family's own test.
const values = loadFamilyValues();
const SHAPES = values.nb_family.map((f) => f.theta);

runFamilyConformance(negativeBinomialFamily, {
  validY: [0, 1, 2, 5, 17, 300],
  invalidY: [{ y: [1, -1] }, { y: [1, 2.5] }, { y: [NaN, 1] }, { y: [Infinity] }],
  validMu: [1e-3, 0.5, 3, 250],
  invalidMu: [[1, 0], [1, -2], [Infinity], [NaN]],
  variance: { mu: [0.5, 3, 250], expected: [0.5, 3, 250] },
  startingMu: [1 / 6, 1, 2, 5, 17, 300],
  knownValues: [
    {
      label: 'the Poisson limit: weighted, with a zero count',
      y: [0, 3, 1, 7, 12],
      mu: [0.5, 2, 1.4, 9.1, 10],
      wt: [1, 1, 2, 1, 0.5],
      devResiduals: [1, 0.43279064864898631, 0.25411105351514807, 0.52690029745512534, 0.18785868152745522],
      deviance: 2.4016606811467147,
      aic: 15.369421221156493,
    },
  ],
  latentVariance: [
    { link: 'log', context: { dispersion: 1, meanEta: 0.5, randomVariance: 0.4 }, value: 0.40318604888545784 },
    { link: 'sqrt', context: { dispersion: 1, meanEta: 0.5, randomVariance: 0.4 }, value: null },
  ],
  parameter: {
    values: [0.3, 2, 15, 1e6],
    invalidValues: [0, -1, NaN],
    // MASS forms log((y + theta)/(mu + theta)), which cancels for a large shape: about 1e-10 lost at
    // theta = 1e6 and 4e-4 at 1e12.  The 1e12 case is checked against the Poisson limit below instead.
    knownValues: values.nb_family.filter((f) => f.theta <= 1e6).map((f) => ({
      at: f.theta,
      label: `MASS negative.binomial(${f.theta}), weighted, with zero counts`,
      y: f.y,
      mu: f.mu,
      wt: f.wt,
      devResiduals: f.dev_resids,
      deviance: f.deviance,
      aic: f.minus2loglik,
      tolerance: f.theta >= 1e6 ? 1e-9 : 1e-11,
    })),
    variance: values.nb_family.map((f) => ({ at: f.theta, mu: f.mu, expected: f.variance })),
    latentVariance: [
      // ln(1 + 1/lambda + 1/theta), lambda = exp(0.5 + 0.4/2)
      { at: 2, link: 'log', context: { dispersion: 1, meanEta: 0.5, randomVariance: 0.4 }, value: 0.6914383732757535 },
      { at: 15, link: 'log', context: { dispersion: 1, meanEta: 1.2, randomVariance: 0.3 }, value: 0.2820966987365162 },
      { at: 2, link: 'identity', context: { dispersion: 1, meanEta: 0.5, randomVariance: 0.4 }, value: null },
    ],
    start: values.theta_ml.map((c) => ({ y: c.y, mu: c.mu, wt: c.wt, expected: c.theta, tolerance: 1e-7 })),
  },
});

describe('negative binomial family', () => {
  it('is registered by its bundle under the name users type', () => {
    expect(resolvePlugin(createContainer(familyNegativeBinomialBundle), 'family', 'negative_binomial')).toBe(negativeBinomialFamily);
  });

  it("has MASS's links with log by default and the shape as a required ML parameter", () => {
    expect(negativeBinomialFamily.canonicalLink).toBe('log');
    expect([...negativeBinomialFamily.allowedLinks]).toEqual(['log', 'sqrt', 'identity']);
    const p = negativeBinomialFamily.parameter!;
    expect([p.name, p.required, p.lower, p.upper]).toEqual(['shape', true, 0, Infinity]);
  });

  it('does not call log canonical at a finite shape, where observed and expected information differ', () => {
    expect(negativeBinomialAt(2).canonicalLink).not.toBe('log');
    expect(negativeBinomialAt(Infinity).canonicalLink).toBe('log');
  });

  it('is the Poisson family in the limit of an infinite shape', () => {
    const y = Float64Array.of(0, 3, 1, 7, 12, 250);
    const mu = Float64Array.of(0.5, 2, 1.4, 9.1, 10, 240.5);
    const wt = Float64Array.of(1, 1, 2, 1, 0.5, 1);
    const n = new Float64Array(6).fill(1);
    const nb = negativeBinomialFamily;
    expect(Array.from(nb.variance(mu))).toEqual(Array.from(poissonFamily.variance(mu)));
    const d = nb.devResiduals(y, mu, wt);
    const dp = poissonFamily.devResiduals(y, mu, wt);
    d.forEach((v, i) => expect(v).toBeCloseTo(dp[i]!, 13));
    expect(nb.aic(y, n, mu, wt, 0)).toBeCloseTo(poissonFamily.aic(y, n, mu, wt, 0), 10);
    // and a large finite shape is close to it, without cancellation
    const big = negativeBinomialAt(1e12);
    big.devResiduals(y, mu, wt).forEach((v, i) => expect(Math.abs(v - dp[i]!)).toBeLessThan(1e-8));
    expect(Math.abs(big.aic(y, n, mu, wt, 0) - poissonFamily.aic(y, n, mu, wt, 0))).toBeLessThan(1e-7);
  });

  it('starts the shape at the cap when the counts show no overdispersion', () => {
    const mu = Float64Array.from({ length: 200 }, (_, i) => 2 + (i % 5));
    // y = mu exactly: less spread than Poisson, so no finite shape fits better.
    expect(shapeStart(Float64Array.from(mu), mu, new Float64Array(200).fill(1))).toBe(SHAPE_START_CAP);
  });

  it('gives a one-line reason with the offending row count', () => {
    expect(negativeBinomialFamily.checkResponse(Float64Array.of(0, 1.5, -2, 4), new Float64Array(4).fill(1))).toBe(
      'values must be non-negative integers (counts); 2 of 4 rows are not',
    );
  });
});

describe('negative binomial shapes in the fixture set', () => {
  it('cover small, moderate, large and near-Poisson shapes', () => {
    expect(SHAPES).toEqual([0.3, 2, 15, 1e6, 1e12]);
  });
});
