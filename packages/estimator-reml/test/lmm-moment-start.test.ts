import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { lmmMomentStart } from '@glmm/estimator-reml';
import { rng } from '../../engine/test/structured-model.js';

/** y = 1 + 0.5 x + a_i + b_j + e with crossed intercepts of SDs sa, sb and residual SD 1. */
function crossed(sa: number, sb: number, seed: number): ModelMatrices {
  const rand = rng(seed);
  const A = 150;
  const B = 120;
  const n = 9000;
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const ua = Array.from({ length: A }, () => sa * normal());
  const ub = Array.from({ length: B }, () => sb * normal());
  const a = Int32Array.from({ length: n }, (_, r) => r % A);
  const b = Int32Array.from({ length: n }, () => Math.floor(rand() * B));
  const x = Float64Array.from({ length: n }, () => normal());
  const y = Float64Array.from({ length: n }, (_, r) => 1 + 0.5 * x[r]! + ua[a[r]!]! + ub[b[r]!]! + normal());
  const X = new Float64Array(2 * n);
  X.fill(1, 0, n);
  X.set(x, n);
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
    p: 2,
    responseName: 'y',
    y,
    weights: new Float64Array(n).fill(1),
    trials: new Float64Array(n).fill(1),
    offset: new Float64Array(n),
    X,
    fixedNames: ['(Intercept)', 'x'],
    terms: [term('a', A, a), term('b', B, b)],
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
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
