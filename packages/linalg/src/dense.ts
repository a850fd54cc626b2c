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
  for (let j = 0; j < n; j++) {
    const cj = off + j * n;
    let d = a[cj + j]!;
    for (let k = 0; k < j; k++) {
      const v = a[off + k * n + j]!;
      d -= v * v;
    }
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[cj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[cj + i]!;
      for (let k = 0; k < j; k++) s -= a[off + k * n + i]! * a[off + k * n + j]!;
      a[cj + i] = s / ljj;
    }
    for (let i = 0; i < j; i++) a[cj + i] = 0;
  }
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
