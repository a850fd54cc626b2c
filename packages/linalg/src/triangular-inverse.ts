/**
 * Inverse of a lower-triangular matrix, for selected inverses: with
 * X = L^{-1}, (L L')^{-1} = X' X, so any entry or quadratic form of the
 * inverse is a dot product of columns of X (or of combinations of them),
 * which costs one triangular inversion (n^3 / 6 multiply-adds, the same as
 * the factorisation) instead of forming the full inverse (twice that).
 */

import { releaseLargeWasmMemory, type WasmGemm, wasmGemm } from './wasm-gemm.js';

/**
 * X = L^{-1} for the leading m x m part of the lower factor at `loff` with
 * leading dimension ld (the leading part of a triangular inverse is the
 * inverse of the leading part).  Returned m x m column-major, zero above the
 * diagonal.
 */
export function lowerTriangularInverse(l: Float64Array, ld: number, m: number, loff = 0): Float64Array {
  if (m >= BLOCKED_MIN) {
    const x = blockedLowerInverse(l, ld, m, loff);
    if (x !== null) return x;
  }
  return unblockedLowerInverse(l, ld, m, loff);
}

/** Below this dimension the JS loops win (the blocked version's JS part and copies dominate). */
const BLOCKED_MIN = 192;
/** Width of the block columns of X (and row blocks of L) in the blocked inverse. */
const BLOCK = 32;

/**
 * The blocked inverse on the WebAssembly kernel, or null where it is
 * unavailable.  Returned m x m column-major as lowerTriangularInverse.
 */
function blockedLowerInverse(l: Float64Array, ld: number, m: number, loff: number): Float64Array | null {
  const kernel = wasmGemm();
  if (kernel === null) return null;
  const w = invertInKernel(kernel, l, ld, m, loff);
  if (w === null) return null;
  const mp = (m + 3) & ~3;
  const x = new Float64Array(m * m);
  for (let j = 0; j < m; j++) x.set(w.subarray(mp * mp + j * mp, mp * mp + j * mp + m), j * m);
  releaseLargeWasmMemory();
  return x;
}

/**
 * X = L^{-1} into the kernel's memory: L at 0 and X at mp * mp, both mp x mp
 * (m padded to a multiple of 4; zero rows and columns, which stay zero), and
 * returns that memory, or null when it cannot be had.  Block column J of X
 * solves L X_J = E_J by block forward substitution: each diagonal block
 * solve is small JS work, and the update of the rows below it by L's panel,
 * where nearly all the multiply-adds are, is a kernel call.
 */
function invertInKernel(kernel: WasmGemm, l: Float64Array, ld: number, m: number, loff: number): Float64Array | null {
  const mp = (m + 3) & ~3;
  const xBase = mp * mp;
  const tBase = 2 * mp * mp;
  let w: Float64Array;
  try {
    w = kernel.view(2 * mp * mp + BLOCK * BLOCK);
  } catch {
    return null;
  }
  for (let j = 0; j < m; j++) {
    w.set(l.subarray(loff + j * ld + j, loff + j * ld + m), j * mp + j);
    w.fill(0, j * mp + m, (j + 1) * mp);
  }
  w.fill(0, xBase, tBase);
  for (let j = 0; j < m; j++) w[xBase + j * mp + j] = 1;
  for (let j0 = 0; j0 < m; j0 += BLOCK) {
    const j1 = Math.min(j0 + BLOCK, m);
    const width = ((j1 + 3) & ~3) - j0;
    for (let k0 = j0; k0 < m; k0 += BLOCK) {
      const k1 = Math.min(k0 + BLOCK, m);
      // X_KJ = L_KK^{-1} R_KJ in place, column by column.
      for (let j = j0; j < j1; j++) {
        const xc = xBase + j * mp;
        for (let k = Math.max(k0, j); k < k1; k++) {
          const xk = (w[xc + k]! /= w[k * mp + k]!);
          if (xk === 0) continue;
          const lk = k * mp;
          for (let i = k + 1; i < k1; i++) w[xc + i]! -= w[lk + i]! * xk;
        }
      }
      if (k1 >= m) break;
      // R below -= L[k1:, K] X_KJ, with X_KJ transposed into scratch (the
      // kernel takes its second operand as rows x depth).
      const depth = k1 - k0;
      for (let k = 0; k < depth; k++)
        for (let j = 0; j < width; j++) w[tBase + k * width + j] = j0 + j < j1 ? w[xBase + (j0 + j) * mp + k0 + k]! : 0;
      kernel.gemmNT((xBase + j0 * mp + k1) * 8, mp, (k0 * mp + k1) * 8, mp, tBase * 8, width, mp - k1, width, depth, 0);
    }
  }
  return w;
}

/** Forward substitution column block by column block, in JS. */
export function unblockedLowerInverse(l: Float64Array, ld: number, m: number, loff: number): Float64Array {
  const x = new Float64Array(m * m);
  // Forward substitution L X = I for four columns of X at a time, two
  // columns of L per pass over them: each X element is loaded and stored
  // once per eight multiply-adds, the limit in JS.  Columns of X to the right
  // of the block's first one start with exact zeros above their unit entry,
  // and those stay exact zeros, so no case analysis is needed near the diagonal.
  for (let c = 0; c < m; c += 4) {
    const w = Math.min(4, m - c);
    const x0 = c * m;
    const x1 = x0 + m;
    const x2 = x1 + m;
    const x3 = x2 + m;
    for (let t = 0; t < w; t++) x[x0 + t * m + c + t] = 1;
    let k = c;
    for (; k + 1 < m; k += 2) {
      const lk = loff + k * ld;
      const lk1 = lk + ld;
      const dk = 1 / l[lk + k]!;
      const a0 = (x[x0 + k]! *= dk);
      const a1 = w > 1 ? (x[x1 + k]! *= dk) : 0;
      const a2 = w > 2 ? (x[x2 + k]! *= dk) : 0;
      const a3 = w > 3 ? (x[x3 + k]! *= dk) : 0;
      const e = l[lk + k + 1]!;
      const dk1 = 1 / l[lk1 + k + 1]!;
      const b0 = (x[x0 + k + 1] = (x[x0 + k + 1]! - e * a0) * dk1);
      const b1 = w > 1 ? (x[x1 + k + 1] = (x[x1 + k + 1]! - e * a1) * dk1) : 0;
      const b2 = w > 2 ? (x[x2 + k + 1] = (x[x2 + k + 1]! - e * a2) * dk1) : 0;
      const b3 = w > 3 ? (x[x3 + k + 1] = (x[x3 + k + 1]! - e * a3) * dk1) : 0;
      if (w === 4) {
        for (let i = k + 2; i < m; i++) {
          const p = l[lk + i]!;
          const q = l[lk1 + i]!;
          x[x0 + i]! -= p * a0 + q * b0;
          x[x1 + i]! -= p * a1 + q * b1;
          x[x2 + i]! -= p * a2 + q * b2;
          x[x3 + i]! -= p * a3 + q * b3;
        }
      } else {
        for (let i = k + 2; i < m; i++) {
          const p = l[lk + i]!;
          const q = l[lk1 + i]!;
          x[x0 + i]! -= p * a0 + q * b0;
          if (w > 1) x[x1 + i]! -= p * a1 + q * b1;
          if (w > 2) x[x2 + i]! -= p * a2 + q * b2;
        }
      }
    }
    if (k < m) {
      const dk = 1 / l[loff + k * ld + k]!;
      for (let t = 0; t < w; t++) x[x0 + t * m + k]! *= dk;
    }
  }
  return x;
}
