import { describe, expect, it } from 'vitest';
import { choleskyInPlace } from '@glmm/linalg';
import { factorColumns } from '../src/cholesky-columns.js';
import { choleskyPivotFailure } from '../src/dense.js';
import { gatheredRankUpdate } from '../src/gathered-update.js';
import { addTailQuadraticForms } from '../src/tail-quadratic-forms.js';
import { spdInverseLower } from '../src/dense-inverse.js';
import { lowerTriangularInverse } from '../src/triangular-inverse.js';
import { setWasmKernelsEnabled, wasmGemm } from '../src/wasm-gemm.js';

/** Deterministic generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Random SPD n x n column-major matrix B B' + I, B n x k (full storage). */
function spd(n: number, seed: number, k = 12): Float64Array {
  const rand = rng(seed);
  const B = Float64Array.from({ length: n * k }, () => rand() - 0.5);
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++)
    for (let i = j; i < n; i++) {
      let t = i === j ? 1 : 0;
      for (let q = 0; q < k; q++) t += B[i * k + q]! * B[j * k + q]!;
      A[j * n + i] = t;
      A[i * n + j] = t;
    }
  return A;
}

/** max |x - y| / max |y| over lower-triangle entries. */
function relDiff(x: Float64Array, y: Float64Array, n: number): number {
  let d = 0;
  let scale = 0;
  for (let j = 0; j < n; j++)
    for (let i = j; i < n; i++) {
      d = Math.max(d, Math.abs(x[j * n + i]! - y[j * n + i]!));
      scale = Math.max(scale, Math.abs(y[j * n + i]!));
    }
  return d / scale;
}

describe('WebAssembly kernel', () => {
  it('is available here (Node has WebAssembly SIMD), so the blocked paths are the ones tested', () => {
    expect(wasmGemm()).not.toBeNull();
  });
});

describe('blocked dense Cholesky', () => {
  for (const n of [64, 97, 130, 255, 301]) {
    it(`matches the unblocked kernel (n = ${n}), zero above the diagonal`, () => {
      const A = spd(n, n);
      const ref = Float64Array.from(A);
      expect(factorColumns(ref, n, n, 0, 0, n)).toBe(-1);
      const L = Float64Array.from(A);
      expect(choleskyInPlace(L, n)).toBe(true);
      expect(relDiff(L, ref, n)).toBeLessThan(1e-12);
      for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) expect(L[j * n + i]).toBe(0);
      // And L L' = A on a sample of entries.
      for (let j = 0; j < n; j += 7)
        for (let i = j; i < n; i += 5) {
          let s = 0;
          for (let k = 0; k <= j; k++) s += L[k * n + i]! * L[k * n + j]!;
          expect(s).toBeCloseTo(A[j * n + i]!, 10);
        }
    });
  }

  it('works at an offset inside a larger array', () => {
    const n = 140;
    const A = spd(n, 3);
    const buf = new Float64Array(n * n + 17).fill(7);
    buf.set(A, 11);
    expect(choleskyInPlace(buf, n, 11)).toBe(true);
    const ref = Float64Array.from(A);
    factorColumns(ref, n, n, 0, 0, n);
    expect(relDiff(buf.subarray(11, 11 + n * n), ref, n)).toBeLessThan(1e-12);
    expect(buf[10]).toBe(7);
    expect(buf[11 + n * n]).toBe(7);
  });

  it('gives the same results with the WebAssembly kernel turned off', () => {
    const n = 150;
    const A = spd(n, 5);
    const withWasm = Float64Array.from(A);
    choleskyInPlace(withWasm, n);
    setWasmKernelsEnabled(false);
    try {
      const without = Float64Array.from(A);
      expect(choleskyInPlace(without, n)).toBe(true);
      expect(relDiff(withWasm, without, n)).toBeLessThan(1e-12);
    } finally {
      setWasmKernelsEnabled(true);
    }
  });

  for (const [n, bad] of [
    [130, 0],
    [130, 1],
    [130, 64],
    [130, 129],
    [257, 200],
  ] as const) {
    it(`fails at the same pivot as the unblocked kernel (n = ${n}, indefinite at ${bad})`, () => {
      const A = spd(n, n + bad);
      // Make the leading (bad + 1) x (bad + 1) block indefinite: a large negative pivot.
      A[bad * n + bad] = -50;
      expect(factorColumns(Float64Array.from(A), n, n, 0, 0, n)).toBe(bad);
      expect(choleskyPivotFailure(Float64Array.from(A), n)).toBe(bad);
      expect(choleskyInPlace(Float64Array.from(A), n)).toBe(false);
      setWasmKernelsEnabled(false);
      try {
        expect(choleskyPivotFailure(Float64Array.from(A), n)).toBe(bad);
      } finally {
        setWasmKernelsEnabled(true);
      }
    });
  }

  it('fails on a singular matrix (rank-deficient, zero pivot) and on NaN', () => {
    const n = 120;
    const rand = rng(11);
    const B = Float64Array.from({ length: n * 50 }, () => rand() - 0.5);
    const A = new Float64Array(n * n);
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let q = 0; q < 50; q++) t += B[i * 50 + q]! * B[j * 50 + q]!;
        A[j * n + i] = t;
      }
    const f = choleskyPivotFailure(Float64Array.from(A), n);
    expect(f).toBeGreaterThanOrEqual(49);
    expect(f).toBe(factorColumns(Float64Array.from(A), n, n, 0, 0, n));
    const C = spd(n, 2);
    C[30 * n + 70] = NaN;
    expect(choleskyPivotFailure(C, n)).toBe(70);
  });
});

describe('lower-triangular inverse', () => {
  for (const [n, m] of [
    [6, 6],
    [40, 37],
    [97, 97],
    [200, 193],
    [260, 200],
  ] as const) {
    for (const wasm of [true, false]) {
      it(`solves L X = I for the leading ${m} of ${n} (${wasm ? 'blocked' : 'JS'})`, () => {
        const L = spd(n, n + m);
        expect(choleskyInPlace(L, n)).toBe(true);
        setWasmKernelsEnabled(wasm);
        let X: Float64Array;
        try {
          X = lowerTriangularInverse(L, n, m);
        } finally {
          setWasmKernelsEnabled(true);
        }
        for (let j = 0; j < m; j++)
          for (let i = 0; i < m; i++) {
            if (i < j) {
              expect(X[j * m + i]).toBe(0);
              continue;
            }
            let s = 0;
            for (let k = j; k <= i; k++) s += L[k * n + i]! * X[j * m + k]!;
            expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-12);
          }
      });
    }
  }
});

describe('inverse of an SPD matrix from its factor (lower triangle)', () => {
  for (const [n, m] of [
    [8, 8],
    [70, 66],
    [200, 197],
    // Padded to 264 for the kernel, so the recurrence's last panel is a narrow one.
    [300, 261],
  ] as const) {
    it(`equals the inverse of the leading ${m} x ${m} block (n = ${n})`, () => {
      const A = spd(n, 3 * n + m);
      const L = Float64Array.from(A);
      expect(choleskyInPlace(L, n)).toBe(true);
      const M = spdInverseLower(L, n, m)!;
      expect(M).not.toBeNull();
      // A_mm M = I on the lower triangle's symmetric completion.
      const full = (i: number, j: number) => (i >= j ? M[j * m + i]! : M[i * m + j]!);
      for (let j = 0; j < m; j++) for (let i = 0; i < j; i++) expect(M[j * m + i]).toBe(0);
      for (let j = 0; j < m; j += 3)
        for (let i = 0; i < m; i++) {
          let s = 0;
          for (let k = 0; k < m; k++) s += A[k * n + i]! * full(k, j);
          expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-10);
        }
    });
  }

  it('is computed in JS when small, and unavailable without the WebAssembly kernel when large', () => {
    setWasmKernelsEnabled(false);
    try {
      const n = 30;
      const A = spd(n, 1);
      const L = Float64Array.from(A);
      choleskyInPlace(L, n);
      const M = spdInverseLower(L, n, n)!;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[k * n + i]! * (k >= 4 ? M[4 * n + k]! : M[k * n + 4]!);
        expect(Math.abs(s - (i === 4 ? 1 : 0))).toBeLessThan(1e-10);
      }
      const big = spd(200, 2);
      choleskyInPlace(big, 200);
      expect(spdInverseLower(big, 200, 200)).toBeNull();
    } finally {
      setWasmKernelsEnabled(true);
    }
  });
});

describe('WebAssembly memory', () => {
  it('is given back after a call that needed a lot of it, and the kernel still works afterwards', () => {
    // 2 x 1500^2 doubles (36 MB) for the inverse: more than is retained.
    const n = 1500;
    const L = spd(n, 9, 4);
    expect(choleskyInPlace(L, n)).toBe(true);
    const X = lowerTriangularInverse(L, n, n);
    expect(wasmGemm()!.memoryBytes()).toBeLessThan(1024 * 1024);
    for (const j of [0, 777, n - 1])
      for (const i of [j, j + 1, n - 1]) {
        if (i >= n) continue;
        let s = 0;
        for (let k = j; k <= i; k++) s += L[k * n + i]! * X[j * n + k]!;
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-10);
      }
    const A = spd(100, 2);
    const ref = Float64Array.from(A);
    factorColumns(ref, 100, 100, 0, 0, 100);
    expect(choleskyInPlace(A, 100)).toBe(true);
    expect(relDiff(A, ref, 100)).toBeLessThan(1e-12);
  });
});

describe('gathered rank update', () => {
  for (const [label, m, positions, rank] of [
    ['contiguous, rank 1', 20, [3, 4, 5, 6, 7, 8], 1],
    ['scattered, rank 1', 20, [0, 2, 3, 9, 15, 19], 1],
    ['contiguous, rank 2', 12, [4, 5, 6, 7, 8, 9, 10, 11], 2],
    ['scattered, rank 3', 25, [1, 4, 5, 6, 11, 20, 24], 3],
    ['scattered, rank 4', 25, [1, 4, 5, 6, 11, 20, 24], 4],
    ['contiguous, rank 9', 30, [10, 11, 12, 13, 14, 15, 16], 9],
    ['one row, rank 5', 5, [2], 5],
  ] as const) {
    it(`subtracts V V' on the gathered lower triangle: ${label}`, () => {
      const rand = rng(m + rank);
      const cnt = positions.length;
      const pos = Int32Array.from(positions);
      const val = Float64Array.from({ length: cnt * rank }, () => rand() - 0.5);
      const T = Float64Array.from({ length: m * m }, () => rand());
      const expected = Float64Array.from(T);
      for (let c = 0; c < cnt; c++)
        for (let r = c; r < cnt; r++) {
          let s = 0;
          for (let k = 0; k < rank; k++) s += val[k * cnt + r]! * val[k * cnt + c]!;
          expected[pos[c]! * m + pos[r]!]! -= s;
        }
      gatheredRankUpdate(T, m, pos, val, cnt, rank);
      for (let i = 0; i < m * m; i++) expect(T[i]).toBeCloseTo(expected[i]!, 13);
    });
  }
});

describe('tail quadratic forms', () => {
  it("adds (X V_g)' (X V_g) for sparse V_g of widths 1 to 3", () => {
    const m = 23;
    const rand = rng(4);
    const X = new Float64Array(m * m);
    for (let c = 0; c < m; c++) for (let i = c; i < m; i++) X[c * m + i] = rand() - 0.5;
    const groups = [
      { rows: [0, 5, 6, 7, 8, 9, 22], w: 1 },
      { rows: [3], w: 2 },
      { rows: [1, 2, 10, 11, 12, 13, 14, 15, 16, 20], w: 3 },
      { rows: [], w: 1 },
      { rows: [21, 22], w: 2 },
    ];
    const ptr = [0];
    const idx: number[] = [];
    const val: number[] = [];
    const valStart: number[] = [];
    const outStart: number[] = [];
    let o = 0;
    for (const g of groups) {
      valStart.push(val.length);
      outStart.push(o);
      o += g.w * g.w;
      for (const r of g.rows) {
        idx.push(r);
        for (let c = 0; c < g.w; c++) val.push(rand() - 0.5);
      }
      ptr.push(idx.length);
    }
    const sparse = {
      nGroups: groups.length,
      ptr: Int32Array.from(ptr),
      idx: Int32Array.from(idx),
      width: Int32Array.from(groups.map((g) => g.w)),
      valStart: Int32Array.from(valStart),
      val: Float64Array.from(val),
      outStart: Int32Array.from(outStart),
    };
    const out = Float64Array.from({ length: o }, () => 1);
    addTailQuadraticForms(X, m, sparse, out);
    groups.forEach((g, gi) => {
      // Dense reference: Y = X V, then 1 + Y' Y.
      const Y = new Float64Array(m * g.w);
      g.rows.forEach((r, e) => {
        for (let c = 0; c < g.w; c++) {
          const v = val[valStart[gi]! + e * g.w + c]!;
          for (let i = 0; i < m; i++) Y[c * m + i]! += X[r * m + i]! * v;
        }
      });
      for (let c1 = 0; c1 < g.w; c1++)
        for (let c2 = 0; c2 < g.w; c2++) {
          let s = 1;
          for (let i = 0; i < m; i++) s += Y[c1 * m + i]! * Y[c2 * m + i]!;
          expect(out[outStart[gi]! + c2 * g.w + c1]).toBeCloseTo(s, 12);
        }
    });
  });
});
