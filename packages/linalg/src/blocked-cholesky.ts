import { factorColumns } from './cholesky-columns.js';
import { releaseLargeWasmMemory, wasmGemm } from './wasm-gemm.js';

/** Below this dimension the unblocked JS kernel wins (copies and call overhead dominate; measured crossover ~56). */
export const BLOCKED_MIN = 64;
/** Panel width: the trailing update's A panel (n x PANEL doubles) should stay in L2 while every column block reads it. */
const PANEL = 64;
/** Columns the JS kernel factors at a time inside a panel (a multiple of 4, as the kernel's blocks). */
const SLICE = 8;

/**
 * Right-looking blocked Cholesky of the n x n column-major matrix at `off`:
 * each panel of PANEL columns is factored by the unblocked JS kernel (a small
 * share of the work), and the trailing matrix gets the panel's symmetric
 * rank-PANEL update from the WebAssembly SIMD kernel, where nearly all the
 * multiply-adds are.  The matrix is copied into the kernel's memory with its
 * dimension padded to a multiple of 4 (zero rows, which stay zero), and back.
 * Returns -1, the failing pivot as factorColumns does, or undefined when the
 * kernel is unavailable (the caller then runs the unblocked kernel).
 */
export function blockedCholesky(a: Float64Array, n: number, off: number): number | undefined {
  const kernel = wasmGemm();
  if (kernel === null) return undefined;
  const np = (n + 3) & ~3;
  let w: Float64Array;
  try {
    w = kernel.view(np * np);
  } catch {
    return undefined;
  }
  for (let j = 0; j < n; j++) {
    // Only the lower triangle is read (and written back).
    w.set(a.subarray(off + j * n + j, off + j * n + n), j * np + j);
    w.fill(0, j * np + n, (j + 1) * np);
  }
  let failed = -1;
  for (let k0 = 0; k0 < n && failed < 0; k0 += PANEL) {
    const k1 = Math.min(k0 + PANEL, n);
    // The panel itself in narrow slices: JS factors SLICE columns, the kernel
    // updates the rest of the panel, so little of the work is left to JS.
    for (let s0 = k0; s0 < k1; s0 += SLICE) {
      const s1 = Math.min(s0 + SLICE, k1);
      failed = factorColumns(w, np, n, 0, s0, s1, false);
      if (failed >= 0) break;
      if (s1 < k1) {
        const slice = (s0 * np + s1) * 8;
        kernel.gemmNT((s1 * np + s1) * 8, np, slice, np, slice, np, np - s1, ((k1 + 3) & ~3) - s1, s1 - s0, 1);
      }
    }
    if (failed < 0 && k1 < n) {
      const d = np - k1;
      const panel = (k0 * np + k1) * 8;
      kernel.gemmNT((k1 * np + k1) * 8, np, panel, np, panel, np, d, d, k1 - k0, 1);
    }
  }
  // The kernel memory holds garbage above the diagonal: copy the lower part, zero the rest.
  for (let j = 0; j < n; j++) {
    a.fill(0, off + j * n, off + j * n + j);
    a.set(w.subarray(j * np + j, j * np + n), off + j * n + j);
  }
  releaseLargeWasmMemory();
  return failed;
}
