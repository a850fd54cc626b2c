import { describe, expect, it } from 'vitest';
import { provablyFullRank } from '../src/gram-screen.js';
import { aliasedColumns, gramSchmidtAliased } from '../src/rank.js';
import { rng } from './rng.js';

/** Column-major n x p from column makers. */
function design(n: number, columns: ((i: number) => number)[]): Float64Array {
  const X = new Float64Array(n * columns.length);
  columns.forEach((f, j) => {
    for (let i = 0; i < n; i++) X[j * n + i] = f(i);
  });
  return X;
}

/** Both the screened check and plain Gram-Schmidt, which must agree. */
function decide(X: Float64Array, n: number, p: number): number[] {
  const screened = aliasedColumns(X, n, p);
  expect(screened).toEqual(gramSchmidtAliased(X, n, p, 1e-7));
  return screened;
}

describe('rank check (cross-product screen, Gram-Schmidt fallback)', () => {
  it('proves ordinary designs full rank from the cross products alone', () => {
    const next = rng(1);
    for (const n of [10, 1000, 100_000]) {
      const u = Float64Array.from({ length: n }, () => next());
      const v = Float64Array.from({ length: n }, () => next() - 0.5);
      const X = design(n, [() => 1, (i) => u[i] as number, (i) => v[i] as number, (i) => (i % 3 === 0 ? 1 : 0)]);
      expect(provablyFullRank(X, n, 4, 1e-5)).toBe(true);
      expect(decide(X, n, 4)).toEqual([]);
    }
  });

  it('copes with an uncentered covariate such as a calendar year', () => {
    const next = rng(2);
    const n = 50_000;
    const year = Float64Array.from({ length: n }, () => 1990 + Math.floor(next() * 30));
    const X = design(n, [() => 1, (i) => year[i] as number, (i) => (year[i] as number) ** 2]);
    expect(provablyFullRank(X, n, 2, 1e-5)).toBe(true);
    expect(decide(X, n, 3)).toEqual([]);
  });

  it('finds exactly collinear columns (the Gram-Schmidt decision)', () => {
    const next = rng(3);
    const n = 5000;
    const u = Float64Array.from({ length: n }, () => next());
    const w = Float64Array.from({ length: n }, () => next());
    const X = design(n, [() => 1, (i) => u[i] as number, (i) => 2 * (u[i] as number) - 3, (i) => w[i] as number, (i) => (u[i] as number) + (w[i] as number), () => 0]);
    expect(provablyFullRank(X, n, 6, 1e-5)).toBe(false);
    expect(decide(X, n, 6)).toEqual([2, 4, 5]);
  });

  it('finds indicator columns that add up to the intercept', () => {
    const n = 300_000;
    const X = design(n, [() => 1, (i) => (i % 3 === 0 ? 1 : 0), (i) => (i % 3 === 1 ? 1 : 0), (i) => (i % 3 === 2 ? 1 : 0)]);
    expect(decide(X, n, 4)).toEqual([3]);
  });

  it('agrees with Gram-Schmidt near the tolerance', () => {
    const next = rng(4);
    const n = 2000;
    const u = Float64Array.from({ length: n }, () => next());
    const e = Float64Array.from({ length: n }, () => next() - 0.5);
    for (const eps of [1e-3, 1e-5, 1e-6, 1e-7, 3e-8, 1e-9, 1e-12]) {
      const X = design(n, [() => 1, (i) => u[i] as number, (i) => (u[i] as number) + eps * (e[i] as number)]);
      const aliased = decide(X, n, 3);
      expect(aliased).toEqual(eps >= 1e-6 ? [] : [2]);
    }
  });

  it('falls back to all rows when the sampled blocks do not show a column', () => {
    // Sorted data: the second column is non-zero only in rows the block sample skips.
    const n = 200_000;
    const X = design(n, [() => 1, (i) => (i >= 1024 && i < 4096 ? 1 : 0), (i) => (i % 7) / 7]);
    expect(provablyFullRank(X, n, 3, 1e-5)).toBe(true);
    expect(decide(X, n, 3)).toEqual([]);
  });

  it('does not trust cross products of huge or tiny columns', () => {
    const n = 100;
    const X = design(n, [() => 1, (i) => 1e-170 * (i + 1), (i) => 1e170 * ((i * 7) % 11)]);
    expect(provablyFullRank(X, n, 3, 1e-5)).toBe(false);
    // Gram-Schmidt's squared norms under- and overflow here; its answer stands as it was.
    expect(decide(X, n, 3)).toEqual([1, 2]);
  });
});
