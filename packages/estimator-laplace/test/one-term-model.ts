import type { ModelMatrices } from '@glmm/core';
import { rng } from '../../engine/test/structured-model.js';

export interface OneTermModelOptions {
  readonly kind: 'counts' | 'binary';
  /** The term's column: a slope 0.5 + x instead of an intercept. */
  readonly slope: boolean;
  readonly seed: number;
  readonly n: number;
  readonly groups: number;
  /** Unequal group sizes in shuffled order (else row r is in group r mod groups), and a group effect in y. */
  readonly unbalanced: boolean;
}

/**
 * A small GLMM with one scalar random-effects term, x in [-1, 1], prior
 * weights on counts and an offset: the model the one-term kernels are tested on.
 */
export function oneTermModel(o: OneTermModelOptions): ModelMatrices {
  const rand = rng(o.seed);
  const { n, groups } = o;
  const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const g = o.unbalanced
    ? Int32Array.from({ length: n }, () => Math.min(groups - 1, Math.floor(rand() * rand() * groups * 1.5)))
    : Int32Array.from({ length: n }, (_, r) => r % groups);
  if (o.unbalanced) for (let j = 0; j < groups; j++) g[j] = j; // every level present
  const effect = (r: number) => (o.unbalanced ? g[r]! : 0);
  const y = Float64Array.from({ length: n }, (_, r) =>
    o.kind === 'counts'
      ? Math.floor(rand() * 4 + (x[r]! > 0 ? 2 : 0) + effect(r) / 4)
      : rand() < (o.unbalanced ? 0.25 : 0.3) + 0.3 * (x[r]! > 0 ? 1 : 0) + effect(r) / 40
        ? 1
        : 0,
  );
  const X = new Float64Array(2 * n);
  X.fill(1, 0, n);
  X.set(x, n);
  return {
    n,
    p: 2,
    responseName: 'y',
    y,
    weights: Float64Array.from({ length: n }, (_, r) => (o.kind === 'counts' ? 1 + (r % 3) : 1)),
    trials: new Float64Array(n).fill(1),
    offset: Float64Array.from({ length: n }, (_, r) => 0.1 * (r % 2)),
    X,
    fixedNames: ['(Intercept)', 'x'],
    terms: [
      {
        group: 'g',
        levels: Array.from({ length: groups }, (_, i) => `g${i}`),
        index: g,
        columns: [o.slope ? Float64Array.from(x, (v) => 0.5 + v) : new Float64Array(n).fill(1)],
        columnNames: [o.slope ? 'x' : '(Intercept)'],
        covariance: 'unstructured',
      },
    ],
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
}
