import { describe, expect, it } from 'vitest';
import { choleskyInPlace, inverseFromCholesky, leadingInverse, logDetFromCholesky } from '@glmm/linalg';

function spd(n: number, seed: number): Float64Array {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const B = Array.from({ length: n * (n + 3) }, r);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let t = i === j ? 0.1 : 0;
      for (let k = 0; k < n + 3; k++) t += B[i * (n + 3) + k]! * B[j * (n + 3) + k]!;
      A[j * n + i] = t;
    }
  return A;
}

describe('dense Cholesky', () => {
  for (const n of [1, 2, 3, 4, 5, 8, 9, 17]) {
    it(`reconstructs A = L L' (n = ${n}), with zeros above the diagonal`, () => {
      const A = spd(n, n + 1);
      const L = Float64Array.from(A);
      expect(choleskyInPlace(L, n)).toBe(true);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          if (j > i) expect(L[j * n + i]).toBe(0);
          let s = 0;
          for (let k = 0; k <= Math.min(i, j); k++) s += L[k * n + i]! * L[k * n + j]!;
          expect(s).toBeCloseTo(A[j * n + i]!, 10);
        }
      const inv = inverseFromCholesky(L, n);
      const lead = leadingInverse(L, n, n);
      for (let i = 0; i < n * n; i++) expect(lead[i]).toBeCloseTo(inv[i]!, 8);
      expect(Number.isFinite(logDetFromCholesky(L, n))).toBe(true);
    });
  }

  it('refuses a matrix that is not positive definite', () => {
    const A = Float64Array.of(1, 2, 2, 1);
    expect(choleskyInPlace(A, 2)).toBe(false);
    const B = Float64Array.of(4, 2, 0, 2, 1, 0, 0, 0, 1); // singular leading 2 x 2 block
    expect(choleskyInPlace(B, 3)).toBe(false);
  });
});
