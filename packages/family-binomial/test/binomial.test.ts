import { describe, expect, it } from 'vitest';
import { createContainer, resolvePlugin } from '@glmm/core';
import { runFamilyConformance } from '@glmm/testing';
import { binomialFamily, familyBinomialBundle } from '@glmm/family-binomial';

// Expected values: R 4.2.2, binomial()$dev.resids and binomial()$aic, printed with %.17g.
// By hand for a Bernoulli y = 0, mu = 0.2: dev = -2 log(0.8) = 0.44628710262841953; for
// Bernoulli data the aic equals the deviance (log dbinom = log mu or log(1 - mu)).
const successes = [2, 0, 5, 12, 30];
const trials = [14, 12, 9, 20, 30];
const proportions = successes.map((s, i) => s / trials[i]!);
const countMu = [0.2, 0.05, 0.5, 0.61, 0.9];

runFamilyConformance(binomialFamily, {
  validY: proportions,
  validWeights: trials,
  invalidY: [
    { y: [0, 1.2] },
    { y: [-0.1, 0.5], wt: [2, 2] },
    { y: [0.5, NaN], wt: [2, 2] },
    { y: [0.3, 0.5], wt: [2, 2] }, // 0.6 successes
    { y: [0.5, 0.5], wt: [2, -2] },
  ],
  validMu: [1e-6, 0.1, 0.5, 0.9, 1 - 1e-6],
  invalidMu: [[0.5, 0], [1, 0.5], [0.5, NaN], [1.5]],
  variance: { mu: [0.1, 0.5, 0.75], expected: [0.09, 0.25, 0.1875] },
  startingMu: [0.16666666666666666, 0.038461538461538464, 0.55000000000000004, 0.59523809523809523, 0.9838709677419355],
  knownValues: [
    {
      label: 'Bernoulli',
      y: [0, 1, 1, 0, 1],
      mu: [0.2, 0.7, 0.95, 0.5, 0.33],
      devResiduals: [0.44628710262841953, 0.71334988787746478, 0.10258658877510096, 1.3862943611198906, 2.2173252490432223],
      deviance: 4.8658431894440977,
      aic: 4.8658431894440985,
    },
    {
      label: 'cbind(successes, failures), trials in the weights',
      y: proportions,
      mu: countMu,
      wt: trials,
      devResiduals: [0.30993996920198208, 1.2310390653012115, 0.11134087132719551, 0.0083816809195860764, 6.3216309394695811],
      deviance: 7.9823325262195564,
      aic: 16.56948354578773,
    },
    {
      label: 'trials in n, prior weight 2 in wt',
      y: proportions,
      mu: countMu,
      wt: trials.map((n) => 2 * n),
      n: trials,
      deviance: 15.964665052439113,
      aic: 33.138967091575459,
    },
    {
      label: 'thousands of trials (saddle-point dbinom)',
      y: [0.4012, 0.5],
      mu: [0.4, 0.49],
      wt: [10000, 5000],
      n: [10000, 5000],
      deviance: 2.0603801766199079,
      aic: 20.651403371198871,
    },
  ],
  latentVariance: [
    { link: 'logit', context: { dispersion: 1, meanEta: 0.3, randomVariance: 0.4 }, value: 3.2898681336964528 },
    { link: 'probit', context: { dispersion: 1, meanEta: 0.3, randomVariance: 0.4 }, value: 1 },
    { link: 'cloglog', context: { dispersion: 1, meanEta: 0.3, randomVariance: 0.4 }, value: 1.6449340668482264 },
    { link: 'log', context: { dispersion: 1, meanEta: 0.3, randomVariance: 0.4 }, value: null },
  ],
});

describe('binomial family', () => {
  it('is registered by its bundle', () => {
    expect(resolvePlugin(createContainer(familyBinomialBundle), 'family', 'binomial')).toBe(binomialFamily);
  });

  it('gives one-line reasons with the offending row count', () => {
    const ones = new Float64Array(3).fill(1);
    expect(binomialFamily.checkResponse(Float64Array.of(0, 2, 1), ones)).toBe(
      'values must be between 0 and 1 (0/1 or a cbind(successes, failures) count); 1 of 3 rows are not',
    );
    expect(binomialFamily.checkResponse(Float64Array.of(0.5, 0.25, 1), Float64Array.of(4, 2, 3))).toBe(
      'successes (proportion × trials) must be whole numbers; 1 of 3 rows are not',
    );
  });
});

describe('binomial aic at the saturated model', () => {
  it('adds nothing for Bernoulli rows at their own mean and matches the density sum elsewhere', async () => {
    const { dbinomLog } = await import('@glmm/distributions');
    const y = Float64Array.from([0, 1, 1, 0, 0.5, 1]);
    const trials = Float64Array.from([1, 1, 1, 1, 4, 1]);
    const mu = Float64Array.from([0, 1, 0.3, 0, 0.5, 1]);
    const wt = Float64Array.from(trials);
    let direct = 0;
    for (let i = 0; i < y.length; i++) direct += dbinomLog(Math.round(trials[i]! * y[i]!), trials[i]!, mu[i]!);
    expect(Math.abs(binomialFamily.aic(y, trials, mu, wt, 0) + 2 * direct)).toBeLessThan(1e-12 * Math.max(1, Math.abs(direct)));
  });
});
