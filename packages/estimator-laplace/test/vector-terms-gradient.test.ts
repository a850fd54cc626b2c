import { describe, expect, it } from 'vitest';
import type { CovarianceStructure, ModelMatrices } from '@glmm/core';
import { diagonalCovariance, unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { GlmResponse, LaplaceObjective } from '@glmm/estimator-laplace';
import { binomialFamily } from '@glmm/family-binomial';
import { poissonFamily } from '@glmm/family-poisson';
import { logLink, logitLink } from '@glmm/links';
import { randomTerm, rng } from '../../engine/test/structured-model.js';
import { VectorTermsGradient } from '../src/vector-terms-gradient.js';

/**
 * (1 + x | g) crossed with (1 | h), and optionally a slope term nested in g
 * ((1 + x | g:k)), binary or count responses with prior weights.
 */
function slopeModel(seed: number, family: 'binomial' | 'poisson', nested: boolean): ModelMatrices {
  const rand = rng(seed);
  const n = 240;
  const ng = 10;
  const nh = 6;
  const g = Int32Array.from({ length: n }, (_, i) => (i < ng ? i : Math.floor(rand() * ng)));
  const h = Int32Array.from({ length: n }, (_, i) => (i < nh ? i : Math.floor(rand() * nh)));
  const gk = Int32Array.from(g, (v, i) => v * 2 + (i % 2));
  const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const one = new Float64Array(n).fill(1);
  const y = Float64Array.from({ length: n }, (_, i) => {
    const eta = 0.2 + 0.5 * x[i]! + 0.4 * Math.sin(g[i]!) + 0.3 * Math.cos(g[i]!) * x[i]! + 0.3 * Math.sin(3 * h[i]!);
    if (family === 'binomial') return rand() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    return Math.floor(rand() * 2 * Math.exp(eta));
  });
  const terms = [
    ...(nested ? [randomTerm('g:k', gk, 2 * ng, [one, x], ['(Intercept)', 'x'])] : []),
    randomTerm('g', g, ng, [one, x], ['(Intercept)', 'x']),
    randomTerm('h', h, nh, [one], ['(Intercept)']),
  ];
  const X = new Float64Array(2 * n);
  X.set(one, 0);
  X.set(x, n);
  const weights = family === 'poisson' ? Float64Array.from({ length: n }, () => 0.5 + rand()) : new Float64Array(n).fill(1);
  return {
    n,
    p: 2,
    responseName: 'y',
    y,
    weights,
    trials: new Float64Array(n).fill(1),
    offset: new Float64Array(n),
    X,
    fixedNames: ['(Intercept)', 'x'],
    terms,
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
}

describe('exact gradient of the Laplace deviance for terms with several columns', () => {
  const cases: { label: string; model: ModelMatrices; family: 'binomial' | 'poisson'; diagonal: boolean }[] = [
    { label: 'binomial logit (1 + x | g) + (1 | h)', model: slopeModel(1, 'binomial', false), family: 'binomial', diagonal: false },
    { label: 'poisson log (1 + x | g) + (1 | h), prior weights', model: slopeModel(2, 'poisson', false), family: 'poisson', diagonal: false },
    { label: 'poisson log, slopes nested and crossed, uncorrelated (diagonal)', model: slopeModel(3, 'poisson', true), family: 'poisson', diagonal: true },
    { label: 'binomial logit, slopes nested and crossed', model: slopeModel(4, 'binomial', true), family: 'binomial', diagonal: false },
  ];
  for (const c of cases)
    it(`matches central differences: ${c.label}`, () => {
      const m = c.model;
      const covariances: CovarianceStructure[] = m.terms.map((t) => (c.diagonal && t.columns.length > 1 ? diagonalCovariance : unstructuredCovariance));
      const re = new RandomEffectsStructure(m, covariances);
      const family = c.family === 'binomial' ? binomialFamily : poissonFamily;
      const link = c.family === 'binomial' ? logitLink : logLink;
      const dLambda = re.lambdaDerivatives();
      expect(VectorTermsGradient.applies(family, link, dLambda)).toBe(true);
      const response = new GlmResponse(m, family, link);
      const obj = new LaplaceObjective(re, response, 200, null);
      const nTheta = re.nTheta;
      const rand = rng(11);
      const theta = Float64Array.from({ length: nTheta }, (_, i) => (re.isDiagonal[i] ? 0.3 + 0.6 * rand() : 0.4 * (rand() - 0.5)));
      const x = Float64Array.of(...theta, 0.15, 0.45);
      const f = (v: Float64Array) => obj.deviance(v.subarray(0, nTheta), v.subarray(nTheta), 1e-14);
      expect(obj.mode(x.subarray(0, nTheta), x.subarray(nTheta), 1e-14).converged).toBe(true);
      const grad = new VectorTermsGradient(re, response, dLambda!);
      const g = new Float64Array(x.length);
      grad.gradient(x.subarray(0, nTheta), x.subarray(nTheta), obj.pirls, g);
      for (let k = 0; k < x.length; k++) {
        const h = 1e-4;
        const up = Float64Array.from(x);
        const dn = Float64Array.from(x);
        up[k]! += h;
        dn[k]! -= h;
        const fd = (f(up) - f(dn)) / (2 * h);
        expect(Math.abs(g[k]! - fd) / Math.max(1, Math.abs(fd)), `parameter ${k}: ${g[k]} vs ${fd}`).toBeLessThan(1e-5);
      }
      expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0.1);
    });
});
