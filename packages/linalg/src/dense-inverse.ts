import { unblockedLowerInverse } from './triangular-inverse.js';
import { releaseLargeWasmMemory, type WasmGemm, wasmGemm } from './wasm-gemm.js';

/** Below this dimension the JS loops win (the kernel's copies and JS panel work dominate). */
const KERNEL_MIN = 192;

/**
 * The lower triangle of (L L')^{-1} for the leading m x m part of the lower
 * factor at `loff` (leading dimension ld), m x m column-major with zeros
 * above the diagonal; null for a large m where the WebAssembly kernel (or
 * memory for it) is unavailable.
 */
export function spdInverseLower(l: Float64Array, ld: number, m: number, loff = 0): Float64Array | null {
  if (m < KERNEL_MIN) return spdInverseLowerJs(l, ld, m, loff);
  const kernel = wasmGemm();
  return kernel === null ? null : spdInverseInKernel(kernel, l, ld, m, loff);
}

/**
 * spdInverseLower in JS at any size (m^3 / 3 multiply-adds at JS speed):
 * X = L^{-1}, then X'X, entry (a, b), a >= b, summing X[i, a] X[i, b] over i >= a.
 */
export function spdInverseLowerJs(l: Float64Array, ld: number, m: number, loff = 0): Float64Array {
  const x = unblockedLowerInverse(l, ld, m, loff);
  const out = new Float64Array(m * m);
  for (let b = 0; b < m; b++)
    for (let a = b; a < m; a++) {
      let s = 0;
      for (let i = a; i < m; i++) s += x[a * m + i]! * x[b * m + i]!;
      out[b * m + a] = s;
    }
  return out;
}

/** Panel width of the recurrence (a multiple of 4, as the kernel's blocks). */
const PANEL = 32;
/**
 * Depth of each kernel call in the long products: the kernel has no cache
 * blocking of its own, so the caller keeps the A operand it streams for
 * every column block (rows x DEPTH doubles) within L2.
 */
const DEPTH = 32;

/**
 * spdInverseLower on the kernel, by Takahashi's recurrence on panels of columns, from
 * the last to the first: with J a panel, S the rows below it, Z = (L L')^{-1}
 * and U = L_SJ L_JJ^{-1},
 *
 *   Z_SJ = -Z_SS U,        Z_JJ = L_JJ^{-T} L_JJ^{-1} - U' Z_SJ.
 *
 * Z_SS is kept with both triangles (each Z_SJ is mirrored into Z_JS), so
 * both products are plain multiply-adds with long depth for the WebAssembly
 * kernel: m^3 / 3 of them, as many as the triangular inverse and X'X
 * together, but in the kernel's best shape and with no O(m^2 b) JS work.
 * The matrix is padded to a multiple of 4 with an identity block, which
 * leaves the leading part of the inverse unchanged.  Null when the kernel's
 * memory cannot be had.
 */
function spdInverseInKernel(kernel: WasmGemm, l: Float64Array, ld: number, m: number, loff: number): Float64Array | null {
  const mp = (m + 3) & ~3;
  const zBase = mp * mp;
  const uBase = 2 * mp * mp;
  const utBase = uBase + mp * PANEL;
  const linvBase = utBase + PANEL * mp;
  let w: Float64Array;
  try {
    w = kernel.view(linvBase + 2 * PANEL * PANEL);
  } catch {
    return null;
  }
  for (let j = 0; j < m; j++) {
    w.set(l.subarray(loff + j * ld + j, loff + j * ld + m), j * mp + j);
    w.fill(0, j * mp + m, (j + 1) * mp);
  }
  for (let j = m; j < mp; j++) {
    w.fill(0, j * mp, (j + 1) * mp);
    w[j * mp + j] = 1;
  }
  const last = Math.floor((mp - 1) / PANEL) * PANEL;
  for (let j0 = last; j0 >= 0; j0 -= PANEL) {
    const j1 = Math.min(j0 + PANEL, mp);
    const b = j1 - j0;
    const s = mp - j1;
    const linv = linvBase;
    const linvT = linvBase + PANEL * PANEL;
    panelInverse(w, mp, j0, b, linv, linvT);
    if (s > 0) {
      // -U = -L_SJ Linv (s x b, leading dimension mp) from zero: C -= A B' with B = Linv'.
      for (let c = 0; c < b; c++) w.fill(0, uBase + c * mp, uBase + c * mp + s);
      kernel.gemmNT(uBase * 8, mp, (j0 * mp + j1) * 8, mp, linvT * 8, PANEL, s, b, b, 0);
      // U' (b x s, leading dimension b), the second operand of the products below.
      // Row by row of the result: its writes are contiguous, and the b columns read stay in cache.
      for (let r = 0; r < s; r++) {
        const dst = utBase + r * b;
        for (let c = 0; c < b; c++) w[dst + c] = -w[uBase + c * mp + r]!;
      }
      // Z_SJ = -Z_SS U from zero, DEPTH columns of Z_SS at a time.
      const zsj = zBase + j0 * mp + j1;
      for (let c = 0; c < b; c++) w.fill(0, zsj + c * mp, zsj + c * mp + s);
      for (let k0 = 0; k0 < s; k0 += DEPTH) {
        const depth = Math.min(DEPTH, s - k0);
        kernel.gemmNT(zsj * 8, mp, (zBase + (j1 + k0) * mp + j1) * 8, mp, (utBase + k0 * b) * 8, b, s, b, depth, 0);
      }
      // Mirror into Z_JS, which the products of earlier panels read as part of Z_SS.
      for (let r = 0; r < s; r++) {
        const dst = zBase + (j1 + r) * mp + j0;
        for (let c = 0; c < b; c++) w[dst + c] = w[zsj + c * mp + r]!;
      }
    }
    // Z_JJ = Linv' Linv - U' Z_SJ (U' Z_SJ = U' times the transpose of Z_JS).
    const zjj = zBase + j0 * mp + j0;
    for (let c = 0; c < b; c++)
      for (let r = c; r < b; r++) {
        let acc = 0;
        for (let k = r; k < b; k++) acc += w[linv + r * PANEL + k]! * w[linv + c * PANEL + k]!;
        w[zjj + c * mp + r] = acc;
      }
    if (s > 0) kernel.gemmNT(zjj * 8, mp, utBase * 8, b, (zBase + j1 * mp + j0) * 8, mp, b, b, s, 1);
    for (let c = 0; c < b; c++) for (let r = c + 1; r < b; r++) w[zjj + r * mp + c] = w[zjj + c * mp + r]!;
  }
  const out = new Float64Array(m * m);
  for (let j = 0; j < m; j++) out.set(w.subarray(zBase + j * mp + j, zBase + j * mp + m), j * m + j);
  releaseLargeWasmMemory();
  return out;
}

/**
 * Linv = L_JJ^{-1} (b x b lower, leading dimension PANEL) for the diagonal
 * block at (j0, j0), and its transpose at linvT, by forward substitution.
 */
function panelInverse(w: Float64Array, mp: number, j0: number, b: number, linv: number, linvT: number): void {
  const d = j0 * mp + j0;
  for (let c = 0; c < b; c++) {
    const col = linv + c * PANEL;
    w.fill(0, col, col + b);
    w[col + c] = 1 / w[d + c * mp + c]!;
    for (let r = c + 1; r < b; r++) {
      let acc = 0;
      for (let k = c; k < r; k++) acc += w[d + k * mp + r]! * w[col + k]!;
      w[col + r] = -acc / w[d + r * mp + r]!;
    }
  }
  for (let c = 0; c < b; c++) for (let r = 0; r < b; r++) w[linvT + r * PANEL + c] = w[linv + c * PANEL + r]!;
}
