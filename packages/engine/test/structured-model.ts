import type { ModelMatrices, RandomTerm } from '@glmm/core';

/** Deterministic generator so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * A small random model with a slope term, a crossed intercept and a nested
 * intercept, plus its dense Z (n x q, row-major) for brute-force checks.
 */
export function randomModel(seed: number, n = 60) {
  const rand = rng(seed);
  const x = Float64Array.from({ length: n }, () => rand() * 4 - 2);
  const one = new Float64Array(n).fill(1);
  const g1 = Int32Array.from({ length: n }, () => Math.floor(rand() * 6));
  const g2 = Int32Array.from({ length: n }, () => Math.floor(rand() * 4));
  const g3 = Int32Array.from({ length: n }, (_, r) => g1[r]! * 2 + (r % 2)); // nested in g1
  const term = (group: string, index: Int32Array, levels: number, columns: Float64Array[], names: string[]): RandomTerm => ({
    group,
    levels: Array.from({ length: levels }, (_, i) => `${group}${i}`),
    index,
    columns,
    columnNames: names,
    covariance: 'unstructured',
  });
  const terms = [
    term('g3', g3, 12, [one], ['(Intercept)']),
    term('g1', g1, 6, [one, x], ['(Intercept)', 'x']),
    term('g2', g2, 4, [one], ['(Intercept)']),
  ];
  const p = 2;
  const X = new Float64Array(n * p);
  X.set(one, 0);
  X.set(x, n);
  const y = Float64Array.from({ length: n }, (_, r) => 1 + 0.5 * x[r]! + (g1[r]! - 2.5) * 0.4 + (rand() - 0.5));
  const model: ModelMatrices = {
    n,
    p,
    responseName: 'y',
    y,
    weights: Float64Array.from({ length: n }, () => 0.5 + rand()),
    trials: new Float64Array(n).fill(1),
    offset: new Float64Array(n),
    X,
    fixedNames: ['(Intercept)', 'x'],
    terms,
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
  const q = terms.reduce((s, t) => s + t.levels.length * t.columns.length, 0);
  const Z = new Float64Array(n * q);
  let base = 0;
  for (const t of terms) {
    const k = t.columns.length;
    for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) Z[r * q + base + t.index[r]! * k + c] = t.columns[c]![r]!;
    base += t.levels.length * k;
  }
  return { model, Z, q };
}
