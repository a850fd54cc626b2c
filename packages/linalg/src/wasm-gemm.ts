import { GEMM_WASM_BASE64 } from './wasm-gemm-bytes.js';

/**
 * The WebAssembly SIMD multiply-add kernel (scripts/build-wasm.mjs) and the
 * memory it works in.  Dense kernels copy their matrix into `view()`, run,
 * and copy back: the copies are O(n^2) against O(n^3) work, and keeping no
 * long-lived views into the memory means growing it can never invalidate a
 * caller's array.
 */
export interface WasmGemm {
  /**
   * C (m x n) -= A (m x k) B (n x k)', column-major; pointers are byte
   * offsets into the memory, leading dimensions in elements, m and n
   * multiples of 4.  lowerOnly = 1 updates only the 4 x 4 blocks on or below
   * the block diagonal (C on the diagonal of a symmetric matrix).
   */
  gemmNT(c: number, ldc: number, a: number, lda: number, b: number, ldb: number, m: number, n: number, k: number, lowerOnly: number): void;
  /** A Float64Array over the first `length` doubles of the memory, growing it if needed. */
  view(length: number): Float64Array;
  /** Current size of the memory. */
  memoryBytes(): number;
}

const PAGE = 65536;
/** Memory kept between calls (a factorisation up to dimension ~2000, an inverse up to ~1400); more is given back. */
const RETAIN_BYTES = 32 * 1024 * 1024;

let module: WebAssembly.Module | null | undefined;
let cached: WasmGemm | null | undefined;
let disabled = false;

/** The kernel, or null where WebAssembly (or its SIMD extension) is unavailable: callers then use their JS loops. */
export function wasmGemm(): WasmGemm | null {
  if (disabled) return null;
  if (cached !== undefined) return cached;
  cached = null;
  try {
    if (module === undefined) {
      module = null;
      if (typeof WebAssembly !== 'object') return null;
      const bin = atob(GEMM_WASM_BASE64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      module = new WebAssembly.Module(bytes);
    }
    if (module === null) return null;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const gemmNT = instance.exports['gemmNT'] as WasmGemm['gemmNT'];
    cached = {
      gemmNT,
      view(length: number): Float64Array {
        const bytesNeeded = length * 8;
        if (memory.buffer.byteLength < bytesNeeded) memory.grow(Math.ceil((bytesNeeded - memory.buffer.byteLength) / PAGE));
        return new Float64Array(memory.buffer, 0, length);
      },
      memoryBytes: () => memory.buffer.byteLength,
    };
  } catch {
    cached = null;
  }
  return cached;
}

/**
 * Wasm memory only grows, so after a call that needed more than RETAIN_BYTES
 * the instance is dropped (and its memory with it); the next call makes a
 * fresh one from the compiled module, which costs far less than such a call.
 */
export function releaseLargeWasmMemory(): void {
  if (cached && cached.memoryBytes() > RETAIN_BYTES) cached = undefined;
}

/**
 * Turns the WebAssembly kernel off (or back on) for this process, so tests
 * can check the pure-JS paths give the same results.
 */
export function setWasmKernelsEnabled(enabled: boolean): void {
  disabled = !enabled;
}
