import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { GlmResponse, LaplaceObjective, momentThetaStart } from '@glmm/estimator-laplace';
import { poissonFamily } from '@glmm/family-poisson';
import { logLink } from '@glmm/links';
import { crossedInterceptModel } from '../../engine/test/structured-model.js';

/** Poisson counts with crossed random intercepts of known SDs. */
function crossed(thetaA: number, thetaB: number, seed: number): ModelMatrices {
  return crossedInterceptModel({
    seed,
    A: 200,
    B: 150,
    n: 12000,
    sdA: thetaA,
    sdB: thetaB,
    b0: 0.7,
    draw: (eta, rand) => {
      const mu = Math.exp(eta);
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
    },
  });
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
