/**
 * LU factorisation with partial pivoting of a dense square matrix (row-major),
 * for the small interpolation systems of the model-based optimiser: both
 * A x = b (model coefficients) and A' y = b (Lagrange-function values) are
 * solved from one factorisation.
 */
export class DenseLu {
  readonly size: number;
  /** L (unit lower, below the diagonal) and U (on and above it) of P A, row-major. */
  private readonly lu: Float64Array;
  /** Row k of P A is row perm[k] of A. */
  private readonly perm: Int32Array;
  private readonly work: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.lu = new Float64Array(size * size);
    this.perm = new Int32Array(size);
    this.work = new Float64Array(size);
  }

  /**
   * Factorises A (row-major, size x size; not modified). Returns false when a
   * pivot falls below `relativePivotTolerance` times the largest entry of A,
   * i.e. when A is singular to working precision.
   */
  factorize(A: Float64Array, relativePivotTolerance = 1e-14): boolean {
    const m = this.size;
    const a = this.lu;
    a.set(A.subarray(0, m * m));
    let maxAbs = 0;
    for (let k = 0; k < m * m; k++) maxAbs = Math.max(maxAbs, Math.abs(a[k]!));
    if (!(maxAbs > 0)) return m === 0;
    const tol = relativePivotTolerance * maxAbs;
    for (let k = 0; k < m; k++) this.perm[k] = k;
    for (let k = 0; k < m; k++) {
      let p = k;
      let best = Math.abs(a[k * m + k]!);
      for (let i = k + 1; i < m; i++) {
        const v = Math.abs(a[i * m + k]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (!(best > tol)) return false;
      if (p !== k) {
        for (let j = 0; j < m; j++) {
          const t = a[k * m + j]!;
          a[k * m + j] = a[p * m + j]!;
          a[p * m + j] = t;
        }
        const t = this.perm[k]!;
        this.perm[k] = this.perm[p]!;
        this.perm[p] = t;
      }
      const pivot = a[k * m + k]!;
      for (let i = k + 1; i < m; i++) {
        const l = a[i * m + k]! / pivot;
        a[i * m + k] = l;
        if (l === 0) continue;
        for (let j = k + 1; j < m; j++) a[i * m + j]! -= l * a[k * m + j]!;
      }
    }
    return true;
  }

  /** Solves A x = b, writing x to `out` (which may be b). */
  solve(b: Float64Array, out: Float64Array = new Float64Array(this.size)): Float64Array {
    const m = this.size;
    const a = this.lu;
    const y = this.work;
    for (let i = 0; i < m; i++) {
      let sum = b[this.perm[i]!]!;
      for (let j = 0; j < i; j++) sum -= a[i * m + j]! * y[j]!;
      y[i] = sum;
    }
    for (let i = m - 1; i >= 0; i--) {
      let sum = y[i]!;
      for (let j = i + 1; j < m; j++) sum -= a[i * m + j]! * y[j]!;
      y[i] = sum / a[i * m + i]!;
    }
    out.set(y);
    return out;
  }

  /** Solves A' y = b, writing y to `out` (which may be b). */
  solveTransposed(b: Float64Array, out: Float64Array = new Float64Array(this.size)): Float64Array {
    const m = this.size;
    const a = this.lu;
    const z = this.work;
    // (P A)' = A' P' = U' L', so A' y = b is U' w = b, L' v = w, y = P' v.
    for (let i = 0; i < m; i++) {
      let sum = b[i]!;
      for (let j = 0; j < i; j++) sum -= a[j * m + i]! * z[j]!;
      z[i] = sum / a[i * m + i]!;
    }
    for (let i = m - 1; i >= 0; i--) {
      let sum = z[i]!;
      for (let j = i + 1; j < m; j++) sum -= a[j * m + i]! * z[j]!;
      z[i] = sum;
    }
    for (let i = 0; i < m; i++) out[this.perm[i]!] = z[i]!;
    return out;
  }
}
