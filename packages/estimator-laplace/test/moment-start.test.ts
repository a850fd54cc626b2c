import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { GlmResponse, LaplaceObjective, momentThetaStart } from '@glmm/estimator-laplace';
import { poissonFamily } from '@glmm/family-poisson';
import { logLink } from '@glmm/links';
import { rng } from '../../engine/test/structured-model.js';

/** Poisson counts with crossed random intercepts of known SDs. */
function crossed(thetaA: number, thetaB: number, seed: number): ModelMatrices {
  const rand = rng(seed);
  const A = 200;
  const B = 150;
  const n = 12000;
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const ua = Array.from({ length: A }, () => thetaA * normal());
  const ub = Array.from({ length: B }, () => thetaB * normal());
  const a = Int32Array.from({ length: n }, (_, r) => r % A);
  const b = Int32Array.from({ length: n }, () => Math.floor(rand() * B));
  const y = Float64Array.from({ length: n }, (_, r) => {
    const mu = Math.exp(0.7 + ua[a[r]!]! + ub[b[r]!]!);
    let k = 0;
    let p = Math.exp(-mu);
    let c = p;
    const v = rand();
    while (v > c && k < 1000) {
      k++;
      p *= mu / k;
      c += p;
    }
    return k;
  });
  const term = (name: string, levels: number, index: Int32Array) => ({
    group: name,
    levels: Array.from({ length: levels }, (_, i) => `${name}${i}`),
    index,
    columns: [new Float64Array(n).fill(1)],
    columnNames: ['(Intercept)'],
    covariance: 'unstructured',
  });
  return {
    n,
    p: 1,
    responseName: 'y',
    y,
    weights: new Float64Array(n).fill(1),
    trials: new Float64Array(n).fill(1),
    offset: new Float64Array(n),
    X: new Float64Array(n).fill(1),
    fixedNames: ['(Intercept)'],
    terms: [term('a', A, a), term('b', B, b)],
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
}

describe('momentThetaStart', () => {
  it('estimates each crossed term near its SD from the GLM fit, and floors a zero one', () => {
    for (const [ta, tb] of [
      [0.6, 0.3],
      [0.2, 0.9],
      [0.5, 0],
    ] as const) {
      const m = crossed(ta, tb, 5);
      const re = new RandomEffectsStructure(m, [unstructuredCovariance, unstructuredCovariance]);
      const response = new GlmResponse(m, poissonFamily, logLink);
      const obj = new LaplaceObjective(re, response, 100, null);
      // The GLM (theta = 0) leaves its mu, weights and variance in the response.
      obj.stage1(new Float64Array(2));
      const start = momentThetaStart(re, response, Float64Array.of(1, 1), 0.05);

      for (const [got, truth] of [
        [start[0]!, ta],
        [start[1]!, tb],
      ] as const) {
        if (truth === 0) expect(got).toBeLessThan(0.15);
        else {
          expect(got).toBeGreaterThan(truth * 0.6);
          expect(got).toBeLessThan(truth * 1.6 + 0.1);
        }
        expect(got).toBeGreaterThanOrEqual(0.05);
      }
    }
  });
});
