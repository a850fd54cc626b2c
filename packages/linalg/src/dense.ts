/**
 * Small dense kernels on column-major Float64Array storage (k x k blocks of
 * the blocked Cholesky, p x p fixed-effect matrices).  `off` lets a kernel
 * work in place inside a larger values array without copying.
 */

/**
 * In-place Cholesky A = L L' of the leading n x n column-major block at
 * `off`, lower triangle only; the strict upper triangle is zeroed.
 * Returns false when A is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number, off = 0): boolean {
  // Column-oriented (gaxpy) form, two target columns and four source columns at
  // a time: every source element is loaded once per two targets and each target
  // element stored once per four sources, which is what limits speed in JS.
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const c0 = off + j * n;
    const c1 = c0 + n;
    let k = 0;
    for (; k + 3 < j; k += 4) {
      const s0 = off + k * n;
      const s1 = s0 + n;
      const s2 = s1 + n;
      const s3 = s2 + n;
      const p0 = a[s0 + j]!;
      const p1 = a[s1 + j]!;
      const p2 = a[s2 + j]!;
      const p3 = a[s3 + j]!;
      const q0 = a[s0 + j + 1]!;
      const q1 = a[s1 + j + 1]!;
      const q2 = a[s2 + j + 1]!;
      const q3 = a[s3 + j + 1]!;
      if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && q0 === 0 && q1 === 0 && q2 === 0 && q3 === 0) continue;
      a[c0 + j]! -= p0 * p0 + p1 * p1 + p2 * p2 + p3 * p3;
      for (let i = j + 1; i < n; i++) {
        const x0 = a[s0 + i]!;
        const x1 = a[s1 + i]!;
        const x2 = a[s2 + i]!;
        const x3 = a[s3 + i]!;
        a[c0 + i]! -= p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3;
        a[c1 + i]! -= q0 * x0 + q1 * x1 + q2 * x2 + q3 * x3;
      }
    }
    for (; k < j; k++) {
      const sk = off + k * n;
      const p = a[sk + j]!;
      const q = a[sk + j + 1]!;
      if (p === 0 && q === 0) continue;
      a[c0 + j]! -= p * p;
      for (let i = j + 1; i < n; i++) {
        const x = a[sk + i]!;
        a[c0 + i]! -= p * x;
        a[c1 + i]! -= q * x;
      }
    }
    if (!finishColumn(a, n, off, j)) return false;
    // Column j + 1 still needs column j, which is final now.
    const p = a[c0 + j + 1]!;
    if (p !== 0) for (let i = j + 1; i < n; i++) a[c1 + i]! -= p * a[c0 + i]!;
    if (!finishColumn(a, n, off, j + 1)) return false;
  }
  if (j < n) {
    const cj = off + j * n;
    for (let k = 0; k < j; k++) {
      const sk = off + k * n;
      const p = a[sk + j]!;
      if (p === 0) continue;
      for (let i = j; i < n; i++) a[cj + i]! -= p * a[sk + i]!;
    }
    if (!finishColumn(a, n, off, j)) return false;
  }
  return true;
}

/** Takes the square root of column j's pivot, scales the column below it and zeroes above it. */
function finishColumn(a: Float64Array, n: number, off: number, j: number): boolean {
  const cj = off + j * n;
  const d = a[cj + j]!;
  if (!(d > 0)) return false;
  const ljj = Math.sqrt(d);
  a[cj + j] = ljj;
  const inv = 1 / ljj;
  for (let i = j + 1; i < n; i++) a[cj + i]! *= inv;
  for (let i = 0; i < j; i++) a[cj + i] = 0;
  return true;
}

/** Solves L x = b in place (L lower n x n at `loff`, x of length n at `xoff`). */
export function forwardSolve(l: Float64Array, n: number, x: Float64Array, loff = 0, xoff = 0): void {
  for (let j = 0; j < n; j++) {
    const v = (x[xoff + j]! /= l[loff + j * n + j]!);
    for (let i = j + 1; i < n; i++) x[xoff + i]! -= l[loff + j * n + i]! * v;
  }
}

/** Solves L' x = b in place. */
export function backwardSolve(l: Float64Array, n: number, x: Float64Array, loff = 0, xoff = 0): void {
  for (let j = n - 1; j >= 0; j--) {
    let s = x[xoff + j]!;
    for (let i = j + 1; i < n; i++) s -= l[loff + j * n + i]! * x[xoff + i]!;
    x[xoff + j] = s / l[loff + j * n + j]!;
  }
}

/** Inverse of an SPD matrix from its Cholesky factor L: (L L')^{-1}, full n x n column-major. */
export function inverseFromCholesky(l: Float64Array, n: number, loff = 0): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    e.fill(0);
    e[c] = 1;
    forwardSolve(l, n, e, loff);
    backwardSolve(l, n, e, loff);
    inv.set(e, c * n);
  }
  return inv;
}

/** Inverse of a symmetric positive-definite matrix, or null when it is not PD. */
export function spdInverse(a: Float64Array, n: number): Float64Array | null {
  const l = Float64Array.from(a.subarray(0, n * n));
  if (!choleskyInPlace(l, n)) return null;
  return inverseFromCholesky(l, n);
}

/** 2 * sum(log(diag(L))) of a Cholesky factor: log det(L L'). */
export function logDetFromCholesky(l: Float64Array, n: number, loff = 0): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.log(l[loff + j * n + j]!);
  return 2 * s;
}

/**
 * (L L')^{-1} for the leading m x m part of a lower factor stored with
 * leading dimension ld (the leading part of a Cholesky factor is the factor
 * of the leading principal submatrix).  Full symmetric m x m, column-major.
 */
export function leadingInverse(l: Float64Array, ld: number, m: number, loff = 0): Float64Array {
  // Linv = L^{-1}, lower triangular, by forward substitution column by column.
  const linv = new Float64Array(m * m);
  for (let c = 0; c < m; c++) {
    const col = c * m;
    linv[col + c] = 1 / l[loff + c * ld + c]!;
    for (let k = c; k < m; k++) {
      const v = linv[col + k]!;
      if (k > c) linv[col + k] = v / l[loff + k * ld + k]!;
      const xk = linv[col + k]!;
      if (xk === 0) continue;
      const lk = loff + k * ld;
      for (let i = k + 1; i < m; i++) linv[col + i]! -= l[lk + i]! * xk;
    }
  }
  // M = Linv' Linv: M[a, b] = sum_{i >= max(a, b)} Linv[i, a] Linv[i, b].
  const out = new Float64Array(m * m);
  for (let b = 0; b < m; b++) {
    const cb = b * m;
    for (let a = b; a < m; a++) {
      const ca = a * m;
      let s = 0;
      for (let i = a; i < m; i++) s += linv[ca + i]! * linv[cb + i]!;
      out[cb + a] = s;
      out[ca + b] = s;
    }
  }
  return out;
}
