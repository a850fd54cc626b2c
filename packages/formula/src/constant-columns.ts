/**
 * Columns every model frame of n rows holds in the same form: unit weights
 * and trials, a zero offset, a random intercept's column of ones, the row
 * numbers 0..n-1 when no row is excluded. A fresh n-long array costs its page
 * faults (for a million rows, more than building the rest of such a column),
 * so frames of the same size share one of each. Model matrices are read-only
 * downstream; nothing may write into these.
 *
 * Each is held weakly: once no model uses it the collector may take it, and
 * the next frame makes a new one.
 */
class ConstantColumn<T extends Float64Array | Int32Array> {
  private ref: WeakRef<T> | undefined;

  constructor(private readonly make: (n: number) => T) {}

  /** Whether `col` is the array `of` currently hands out (without making one). */
  is(col: Float64Array | Int32Array): boolean {
    return this.ref?.deref() === col;
  }

  of(n: number): T {
    const held = this.ref?.deref();
    if (held !== undefined && held.length === n) return held;
    const col = this.make(n);
    this.ref = new WeakRef(col);
    return col;
  }
}

const ones = new ConstantColumn((n) => new Float64Array(n).fill(1));
const zeros = new ConstantColumn((n) => new Float64Array(n));
const rowNumbers = new ConstantColumn((n) => {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
});

/** n ones (shared: read only). */
export function onesColumn(n: number): Float64Array {
  return ones.of(n);
}

/** n zeros (shared: read only). */
export function zerosColumn(n: number): Float64Array {
  return zeros.of(n);
}

/** 0, 1, ..., n - 1 (shared: read only). */
export function identityRows(n: number): Int32Array {
  return rowNumbers.of(n);
}

/** Whether `rows` is the shared 0..n-1 of identityRows, i.e. every row in order. */
export function isIdentityRows(rows: Int32Array): boolean {
  return rowNumbers.is(rows);
}
