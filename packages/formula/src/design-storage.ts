/**
 * Memory for the fixed-effects design of one fit at a time, shared by
 * successive fits. A fit needs X only until its results are built (they do
 * not hold it), and for a large model a fresh array costs more in page faults
 * than writing the design into it, so a caller that fits model after model
 * (a benchmark, a bootstrap) reuses one buffer.
 *
 * The buffer is held weakly: an idle process may give it back, and the next
 * fit makes a new one.
 */
let held: WeakRef<ArrayBuffer> | undefined;
let lent = false;

/**
 * Runs `use` with a provider for BuildOptions.designStorage that hands out
 * the shared buffer (once per call: a second design in the same call gets an
 * array of its own, as does a fit nested inside another). Nothing may use
 * the design after `use` returns.
 */
export function withSharedDesignStorage<T>(use: (storage: (length: number) => Float64Array) => T): T {
  if (lent) return use((length) => new Float64Array(length));
  lent = true;
  let given = false;
  try {
    return use((length) => {
      if (given) return new Float64Array(length);
      given = true;
      let buffer = held?.deref();
      if (buffer === undefined || buffer.byteLength < length * Float64Array.BYTES_PER_ELEMENT) {
        buffer = new ArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT);
        held = new WeakRef(buffer);
      }
      return new Float64Array(buffer, 0, length);
    });
  } finally {
    lent = false;
  }
}
