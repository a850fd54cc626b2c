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

  it('leaves terms with several columns at the fallback', () => {
    const m = crossed(0.5, 0.5, 3);
    const slope = { ...m.terms[0]!, columns: [m.terms[0]!.columns[0]!, m.X.subarray(m.n)], columnNames: ['(Intercept)', 'x'] };
    const model = { ...m, terms: [slope, m.terms[1]!] };
    const re = new RandomEffectsStructure(model, [unstructuredCovariance, unstructuredCovariance]);
    const fallback = Float64Array.from({ length: re.nTheta }, (_, i) => 1 + i);
    const start = lmmMomentStart(re, fallback, 0.05);
    for (let i = 0; i < re.thetaOffset[1]!; i++) expect(start[i]).toBe(fallback[i]);
    expect(start[re.thetaOffset[1]!]).not.toBe(fallback[re.thetaOffset[1]!]);
  });
});
