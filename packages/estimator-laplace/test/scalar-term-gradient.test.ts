import { describe, expect, it } from 'vitest';
import type { Family, Link, ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { GlmResponse, LaplaceObjective, ScalarTermGradient } from '@glmm/estimator-laplace';
import { binomialFamily } from '@glmm/family-binomial';
import { poissonFamily } from '@glmm/family-poisson';
import { cloglogLink, logLink, logitLink, probitLink, sqrtLink } from '@glmm/links';
import { oneTermModel } from './one-term-model.js';

function model(kind: 'counts' | 'binary', slope: boolean): ModelMatrices {
  return oneTermModel({ kind, slope, seed: kind === 'counts' ? 21 : 22, n: 120, groups: 10, unbalanced: false });
}

const cases: [string, 'counts' | 'binary', Family, Link, boolean][] = [
  ['poisson log, intercept', 'counts', poissonFamily, logLink, false],
  ['poisson sqrt (non-canonical), intercept', 'counts', poissonFamily, sqrtLink, false],
  ['poisson log, slope', 'counts', poissonFamily, logLink, true],
  ['binomial logit, intercept', 'binary', binomialFamily, logitLink, false],
  ['binomial probit (non-canonical)', 'binary', binomialFamily, probitLink, false],
  ['binomial cloglog, slope', 'binary', binomialFamily, cloglogLink, true],
];

describe('exact gradient of the Laplace deviance for one scalar term', () => {
  for (const [label, kind, family, link, slope] of cases) {
    it(`matches central differences: ${label}`, () => {
      const m = model(kind, slope);
      const re = new RandomEffectsStructure(m, [unstructuredCovariance]);
      const response = new GlmResponse(m, family, link);
      const obj = new LaplaceObjective(re, response, 200, null);
      const grad = new ScalarTermGradient(m, response);
      const x = Float64Array.of(0.8, kind === 'counts' ? 0.7 : -0.6, 0.4);
      const f = (v: Float64Array) => obj.deviance(v.subarray(0, 1), v.subarray(1), 1e-14);
      f(x);
      // The formula needs the exact mode: PIRLS must have converged.
      expect(obj.mode(x.subarray(0, 1), x.subarray(1), 1e-14).converged).toBe(true);
      const g = new Float64Array(3);
      grad.gradient(x[0]!, x.subarray(1), obj.pirls.u, obj.pirls.eta, g);
      for (let k = 0; k < 3; k++) {
        const h = 1e-5;
        const up = Float64Array.from(x);
        const dn = Float64Array.from(x);
        up[k]! += h;
        dn[k]! -= h;
        const fd = (f(up) - f(dn)) / (2 * h);
        expect(Math.abs(g[k]! - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    });
  }
});
