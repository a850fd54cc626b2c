import type { ModelMatrices, RandomTerm } from '@glmm/core';

/** Deterministic generator so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A random-effects term of `levels` levels named group0, group1, ... with the given columns (unstructured covariance). */
export function randomTerm(group: string, index: Int32Array, levels: number, columns: Float64Array[], names: string[]): RandomTerm {
  return {
    group,
    levels: Array.from({ length: levels }, (_, i) => `${group}${i}`),
    index,
    columns,
    columnNames: names,
    covariance: 'unstructured',
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
  const terms = [
    randomTerm('g3', g3, 12, [one], ['(Intercept)']),
    randomTerm('g1', g1, 6, [one, x], ['(Intercept)', 'x']),
    randomTerm('g2', g2, 4, [one], ['(Intercept)']),
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

/** A one-term model (the fused path): intercept or slope term, p fixed columns, optional weights and offset. */
export function scalarModel(opts: {
  seed: number;
  p: number;
  slope?: boolean;
  weighted?: boolean;
  /** Multiplies every weight (extreme scales push products of weights out of the double range). */
  weightScale?: number;
  offset?: boolean;
  n?: number;
  levels?: number;
}): ModelMatrices {
  const rand = rng(opts.seed);
  const n = opts.n ?? 97;
  const nl = opts.levels ?? 9;
  const p = opts.p;
  const X = new Float64Array(n * p);
  for (let a = 0; a < p; a++) for (let r = 0; r < n; r++) X[a * n + r] = a === 0 ? 1 : rand() * 4 - 2;
  const x = Float64Array.from({ length: n }, () => rand() * 3 - 1);
  // Every level occurs, and the last one once only: the per-level sums must not depend on order.
  const index = Int32Array.from({ length: n }, (_, r) => (r === n - 1 ? nl - 1 : r % (nl - 1)));
  const term: RandomTerm = {
    group: 'g',
    levels: Array.from({ length: nl }, (_, i) => `g${i}`),
    index,
    columns: [opts.slope ? x : new Float64Array(n).fill(1)],
    columnNames: [opts.slope ? 'x' : '(Intercept)'],
    covariance: 'unstructured',
  };
  return {
    n,
    p,
    responseName: 'y',
    y: Float64Array.from({ length: n }, (_, r) => 2 + x[r]! + (index[r]! - 4) * 0.3 + rand()),
    weights: opts.weighted
      ? Float64Array.from({ length: n }, (_, r) => (r % 3 === 0 ? 1 : 0.25 + 2 * rand()) * (opts.weightScale ?? 1))
      : new Float64Array(n).fill(1),
    trials: new Float64Array(n).fill(1),
    offset: opts.offset ? Float64Array.from({ length: n }, () => rand() - 0.5) : new Float64Array(n),
    X,
    fixedNames: Array.from({ length: p }, (_, a) => (a === 0 ? '(Intercept)' : `x${a}`)),
    terms: [term],
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
}

/**
 * Crossed random intercepts a (row r in level r mod A) and b (random level)
 * with SDs sdA and sdB around eta = b0 (+ slope x when `slope` is given,
 * x standard normal), the response drawn by `draw(eta, rand, normal)`.
 */
export function crossedInterceptModel(opts: {
  seed: number;
  A: number;
  B: number;
  n: number;
  sdA: number;
  sdB: number;
  b0: number;
  slope?: number;
  draw: (eta: number, rand: () => number, normal: () => number) => number;
}): ModelMatrices {
  const { A, B, n } = opts;
  const rand = rng(opts.seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const ua = Array.from({ length: A }, () => opts.sdA * normal());
  const ub = Array.from({ length: B }, () => opts.sdB * normal());
  const a = Int32Array.from({ length: n }, (_, r) => r % A);
  const b = Int32Array.from({ length: n }, () => Math.floor(rand() * B));
  const withX = opts.slope !== undefined;
  const x = Float64Array.from({ length: withX ? n : 0 }, () => normal());
  const y = Float64Array.from({ length: n }, (_, r) =>
    opts.draw(opts.b0 + (withX ? opts.slope! * x[r]! : 0) + ua[a[r]!]! + ub[b[r]!]!, rand, normal),
  );
  const p = withX ? 2 : 1;
  const X = new Float64Array(p * n);
  X.fill(1, 0, n);
  if (withX) X.set(x, n);
  const term = (name: string, levels: number, index: Int32Array): RandomTerm => ({
    group: name,
    levels: Array.from({ length: levels }, (_, i) => `${name}${i}`),
    index,
    columns: [new Float64Array(n).fill(1)],
    columnNames: ['(Intercept)'],
    covariance: 'unstructured',
  });
  return {
    n,
    p,
    responseName: 'y',
    y,
    weights: new Float64Array(n).fill(1),
    trials: new Float64Array(n).fill(1),
    offset: new Float64Array(n),
    X,
    fixedNames: withX ? ['(Intercept)', 'x'] : ['(Intercept)'],
    terms: [term('a', A, a), term('b', B, b)],
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
}
