import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { lmmMomentStart } from '@glmm/estimator-reml';
import { crossedInterceptModel } from '../../engine/test/structured-model.js';

/** y = 1 + 0.5 x + a_i + b_j + e with crossed intercepts of SDs sa, sb and residual SD 1. */
function crossed(sa: number, sb: number, seed: number): ModelMatrices {
  return crossedInterceptModel({ seed, A: 150, B: 120, n: 9000, sdA: sa, sdB: sb, b0: 1, slope: 0.5, draw: (eta, _rand, normal) => eta + normal() });
}

describe('lmmMomentStart', () => {
  it('puts each crossed theta (SD relative to the residual SD) near its value, and floors a zero one', () => {
    for (const [sa, sb] of [
      [0.8, 0.3],
      [0.2, 1.5],
      [0.6, 0],
    ] as const) {
      const m = crossed(sa, sb, 9);
      const re = new RandomEffectsStructure(m, [unstructuredCovariance, unstructuredCovariance]);
      const start = lmmMomentStart(re, Float64Array.of(1, 1), 0.05);
      // Each term is taken on its own and from OLS residuals: within a factor of 2, a start, not an estimate.
      for (const [got, truth] of [
        [start[0]!, sa],
        [start[1]!, sb],
      ] as const) {
        if (truth === 0) expect(got).toBeLessThan(0.15);
        else {
          expect(got).toBeGreaterThan(truth * 0.5);
          expect(got).toBeLessThan(truth * 1.6 + 0.1);
        }
        expect(got).toBeGreaterThanOrEqual(0.05);
      }
    }
  });

  it('starts the diagonal of a term with several columns from each column on its own, the rest at the fallback', () => {
    const m = crossed(0.5, 0.5, 3);
    const slope = { ...m.terms[0]!, columns: [m.terms[0]!.columns[0]!, m.X.subarray(m.n)], columnNames: ['(Intercept)', 'x'] };
    const model = { ...m, terms: [slope, m.terms[1]!] };
    const re = new RandomEffectsStructure(model, [unstructuredCovariance, unstructuredCovariance]);
    const fallback = Float64Array.from({ length: re.nTheta }, (_, i) => 1 + i);
    const start = lmmMomentStart(re, fallback, 0.05);
    // theta = (L11, L21, L22) for the slope term: the intercept's SD is 0.5, the slope's 0.
    expect(start[0]).toBeGreaterThan(0.25);
    expect(start[0]).toBeLessThan(0.9);
    expect(start[1]).toBe(fallback[1]);
    expect(start[2]).toBeLessThan(0.15);
    expect(start[2]).toBeGreaterThanOrEqual(0.05);
    expect(start[3]).not.toBe(fallback[3]);
  });

  it('leaves a term at the fallback when its covariance does not put Lambda_cc in its c-th bounded theta', () => {
    const m = crossed(0.5, 0.5, 3);
    // A plugin whose Lambda is twice its theta: the start cannot be written through it.
    const doubled = { ...unstructuredCovariance, name: 'doubled', diagonalThetaPositions: () => null, lambda: (theta: Float64Array, k: number, out: Float64Array) => {
      unstructuredCovariance.lambda(theta, k, out);
      for (let i = 0; i < k * k; i++) out[i]! *= 2;
    } };
    const re = new RandomEffectsStructure(m, [doubled, unstructuredCovariance]);
    const start = lmmMomentStart(re, Float64Array.of(1, 1), 0.05);
    expect(start[0]).toBe(1);
    expect(start[1]).not.toBe(1);
  });
});
