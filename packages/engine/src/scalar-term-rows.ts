/**
 * Row kernels for the commonest mixed model, one scalar random-effects term
 * (a random intercept, or a single random slope without intercept): every
 * cross-product of [z X y] is gathered in a single pass over the rows.
 *
 * Per level g of the term the pass sums, at G[g * (p + 2) + ...],
 *
 *   [0]          w z^2
 *   [1 .. p]     w z x_a
 *   [p + 1]      w z (y - offset)        (zero without a response)
 *
 * and over all rows the lower triangle of [X y]'W[X y] into xx (column-major
 * (p + 1) x (p + 1), the response last).
 */

/** Widest X the unrolled kernel handles; wider designs take the generic loop. */
export const UNROLLED_MAX_P = 4;

/**
 * Rows per kernel call.  One call over a million rows runs in V8's
 * on-stack-replacement code, whose exits after the loop (compiled without
 * type feedback) deoptimise on every later call: the kernel could stay about
 * 2.5 times slower for many fits.  Short calls are optimised as a whole once warm.
 */
const CHUNK = 4096;

/**
 * Rows in the call starting at `from`: the first call is short, so the code
 * after the loop runs (and gets type feedback) before the loop is hot enough
 * to be compiled on the stack.
 */
function chunkAt(from: number): number {
  return from === 0 ? 64 : CHUNK;
}

export interface ScalarTermRows {
  readonly n: number;
  readonly idx: Int32Array;
  readonly w: Float64Array;
  readonly z: Float64Array;
  /** Column-major n x p. */
  readonly X: Float64Array;
  readonly p: number;
  /** The response and its offset, or null for the design-only pass. */
  readonly response: { readonly y: Float64Array; readonly offset: Float64Array } | null;
}

/** What the response pass learns about the weights on the way (log 1 and true without a response). */
export interface WeightSummary {
  /** sum log w = log det W. */
  readonly logDetW: number;
  /** Whether every weight is exactly 1. */
  readonly unitWeights: boolean;
}

/** Stride of G for a design of p columns. */
export function groupStride(p: number): number {
  return p + 2;
}

// Slots of the running sums: the lower triangle of X'WX (p <= 4), X'Wy, y'Wy, log det W, sum |w - 1|.
const A00 = 0, A10 = 1, A20 = 2, A30 = 3, A11 = 4, A21 = 5, A31 = 6, A22 = 7, A32 = 8, A33 = 9;
const B0 = 10, B1 = 11, B2 = 12, B3 = 13, YY = 14, LDW = 15, WDEV = 16, SUMS = 17;

/**
 * Fills G (zeroed, length levels * groupStride(p)) and xx (zeroed) for
 * p <= UNROLLED_MAX_P.  See unrolledChunk for the loop.
 */
export function scalarTermRowsUnrolled(rows: ScalarTermRows, G: Float64Array, xx: Float64Array): WeightSummary {
  const { n, p, idx, w, z, X } = rows;
  const hasY = rows.response !== null;
  // Without a response y and offset both alias w: y - offset is then
  // identically 0 and the loop needs no branch for it.
  const y = rows.response?.y ?? w;
  const off = rows.response?.offset ?? w;
  const stride = groupStride(p);
  const s = new Float64Array(SUMS);
  // A random intercept with unit weights (z and w the same column of ones)
  // needs neither array read: the unit kernel's sums are the same to the bit.
  const unit = z === w && allOnes(w);
  for (let from = 0; from < n; ) {
    const to = Math.min(n, from + chunkAt(from));
    if (unit) unitChunk(p, stride, idx, y, off, X, n, G, s, from, to);
    else unrolledChunk(p, stride, hasY, idx, w, z, y, off, X, n, G, s, from, to);
    from = to;
  }
  const pe = p + 1;
  // Back to the (p + 1)-square layout: row a, column c at c * pe + a.
  const lower = [A00, A10, A20, A30, A11, A21, A31, A22, A32, A33];
  const ys = [B0, B1, B2, B3];
  let m = 0;
  for (let c = 0; c < UNROLLED_MAX_P; c++)
    for (let a = c; a < UNROLLED_MAX_P; a++, m++) if (a < p) xx[c * pe + a] = s[lower[m]!]!;
  for (let a = 0; a < p; a++) xx[a * pe + p] = s[ys[a]!]!;
  xx[p * pe + p] = s[YY]!;
  return weightSummary(hasY, s);
}

/**
 * One chunk of rows [from, to).  Everything is a plain argument (V8 then
 * needs no map checks or field dependencies) and the sums live in locals (V8
 * keeps no array slot in a register).  X is one array read at r + a * n:
 * separate column views are more live pointers than the registers hold, and
 * cost about a tenth more here.  The nested `p > k` tests are loop-invariant
 * and predicted, so one kernel serves p = 0..4; an inner loop over p (the
 * generic kernel) is more than twice as slow.
 *
 * log det W is taken from the product of the chunk's weights, not a
 * logarithm per row: a call in the loop, even one never made for unit
 * weights, costs about a tenth of the kernel.
 */
function unrolledChunk(
  p: number,
  stride: number,
  hasY: boolean,
  idx: Int32Array,
  w: Float64Array,
  z: Float64Array,
  y: Float64Array,
  off: Float64Array,
  X: Float64Array,
  n: number,
  G: Float64Array,
  s: Float64Array,
  from: number,
  to: number,
): void {
  const yo = p + 1;
  const n2 = 2 * n;
  const n3 = 3 * n;
  let a00 = 0, a10 = 0, a20 = 0, a30 = 0, a11 = 0, a21 = 0, a31 = 0, a22 = 0, a32 = 0, a33 = 0;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, yy = 0, wprod = 1, wdev = 0;
  for (let r = from; r < to; r++) {
    const wr = w[r]!;
    const zr = z[r]!;
    const wz = wr * zr;
    const o = idx[r]! * stride;
    const yr = y[r]! - off[r]!;
    G[o]! += wz * zr;
    G[o + yo]! += wz * yr;
    yy += wr * yr * yr;
    wprod *= wr;
    wdev += Math.abs(wr - 1);
    if (p > 0) {
      const u0 = X[r]!;
      const v0 = wr * u0;
      G[o + 1]! += wz * u0;
      a00 += v0 * u0;
      b0 += v0 * yr;
      if (p > 1) {
        const u1 = X[r + n]!;
        const v1 = wr * u1;
        G[o + 2]! += wz * u1;
        a10 += v1 * u0;
        a11 += v1 * u1;
        b1 += v1 * yr;
        if (p > 2) {
          const u2 = X[r + n2]!;
          const v2 = wr * u2;
          G[o + 3]! += wz * u2;
          a20 += v2 * u0;
          a21 += v2 * u1;
          a22 += v2 * u2;
          b2 += v2 * yr;
          if (p > 3) {
            const u3 = X[r + n3]!;
            const v3 = wr * u3;
            G[o + 4]! += wz * u3;
            a30 += v3 * u0;
            a31 += v3 * u1;
            a32 += v3 * u2;
            a33 += v3 * u3;
            b3 += v3 * yr;
          }
        }
      }
    }
  }
  s[A00]! += a00;
  s[A10]! += a10;
  s[A20]! += a20;
  s[A30]! += a30;
  s[A11]! += a11;
  s[A21]! += a21;
  s[A31]! += a31;
  s[A22]! += a22;
  s[A32]! += a32;
  s[A33]! += a33;
  s[B0]! += b0;
  s[B1]! += b1;
  s[B2]! += b2;
  s[B3]! += b3;
  s[YY]! += yy;
  addWeightSums(hasY, s, wprod, wdev, w, from, to);
}

/**
 * Whether every element is exactly 1: sum (v - 1)^2 is 0 exactly then, and
 * otherwise at least 2^-106 (or NaN), for no term can cancel another.  A sum
 * without a branch per element runs at memory speed, twice as fast as a test
 * of each element, and it is the common answer that has to be fast.
 */
export function allOnes(v: Float64Array): boolean {
  const n = v.length;
  const m = n - (n % 4);
  let s = squaredDistanceFromOne(v, m);
  for (let i = m; i < n; i++) s += (v[i]! - 1) * (v[i]! - 1);
  return s === 0;
}

/**
 * sum (v - 1)^2 over v[0 .. m), m a multiple of 4.  The loop is all the
 * function holds: code after a long loop that V8 compiles on the stack runs
 * without type feedback and would deoptimise.
 */
function squaredDistanceFromOne(v: Float64Array, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i += 4) {
    const a = v[i]! - 1;
    const b = v[i + 1]! - 1;
    const c = v[i + 2]! - 1;
    const d = v[i + 3]! - 1;
    s += a * a + b * b + (c * c + d * d);
  }
  return s;
}

/**
 * unrolledChunk with w = z = 1: every product with a weight or z is a
 * multiplication by exactly 1, so leaving them out changes no bit of any sum
 * (log det W and sum |w - 1| stay 0).  It reads a third fewer bytes per row
 * and does half the multiplications.
 */
function unitChunk(
  p: number,
  stride: number,
  idx: Int32Array,
  y: Float64Array,
  off: Float64Array,
  X: Float64Array,
  n: number,
  G: Float64Array,
  s: Float64Array,
  from: number,
  to: number,
): void {
  const yo = p + 1;
  const n2 = 2 * n;
  const n3 = 3 * n;
  let a00 = 0, a10 = 0, a20 = 0, a30 = 0, a11 = 0, a21 = 0, a31 = 0, a22 = 0, a32 = 0, a33 = 0;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, yy = 0;
  for (let r = from; r < to; r++) {
    const o = idx[r]! * stride;
    const yr = y[r]! - off[r]!;
    G[o]! += 1;
    G[o + yo]! += yr;
    yy += yr * yr;
    if (p > 0) {
      const u0 = X[r]!;
      G[o + 1]! += u0;
      a00 += u0 * u0;
      b0 += u0 * yr;
      if (p > 1) {
        const u1 = X[r + n]!;
        G[o + 2]! += u1;
        a10 += u1 * u0;
        a11 += u1 * u1;
        b1 += u1 * yr;
        if (p > 2) {
          const u2 = X[r + n2]!;
          G[o + 3]! += u2;
          a20 += u2 * u0;
          a21 += u2 * u1;
          a22 += u2 * u2;
          b2 += u2 * yr;
          if (p > 3) {
            const u3 = X[r + n3]!;
            G[o + 4]! += u3;
            a30 += u3 * u0;
            a31 += u3 * u1;
            a32 += u3 * u2;
            a33 += u3 * u3;
            b3 += u3 * yr;
          }
        }
      }
    }
  }
  s[A00]! += a00;
  s[A10]! += a10;
  s[A20]! += a20;
  s[A30]! += a30;
  s[A11]! += a11;
  s[A21]! += a21;
  s[A31]! += a31;
  s[A22]! += a22;
  s[A32]! += a32;
  s[A33]! += a33;
  s[B0]! += b0;
  s[B1]! += b1;
  s[B2]! += b2;
  s[B3]! += b3;
  s[YY]! += yy;
}

/**
 * Adds a chunk's log det W and sum |w - 1| (which is 0 only for unit
 * weights).  A product near the ends of the double range would have lost
 * digits (or be 0 or Infinity), so such a chunk (extreme weights) is summed
 * row by row.  The design-only pass (Laplace's working weights) skips it all.
 */
function addWeightSums(hasY: boolean, s: Float64Array, wprod: number, wdev: number, w: Float64Array, from: number, to: number): void {
  if (!hasY) return;
  s[WDEV]! += wdev;
  if (wprod > 1e-280 && wprod < 1e280) {
    s[LDW]! += Math.log(wprod);
    return;
  }
  let ld = 0;
  for (let r = from; r < to; r++) ld += Math.log(w[r]!);
  s[LDW]! += ld;
}

function weightSummary(hasY: boolean, s: Float64Array): WeightSummary {
  return hasY ? { logDetW: s[LDW]!, unitWeights: s[WDEV] === 0 } : { logDetW: 0, unitWeights: true };
}

/** The same sums for any p (the fallback beyond UNROLLED_MAX_P). */
export function scalarTermRowsGeneric(rows: ScalarTermRows, G: Float64Array, xx: Float64Array): WeightSummary {
  const { n, p, idx, w, z, X } = rows;
  const hasY = rows.response !== null;
  const y = rows.response?.y ?? w;
  const off = rows.response?.offset ?? w;
  const stride = groupStride(p);
  const s = new Float64Array(SUMS);
  for (let from = 0; from < n; ) {
    const to = Math.min(n, from + chunkAt(from));
    genericChunk(p, stride, hasY, idx, w, z, y, off, X, n, G, xx, s, from, to);
    from = to;
  }
  xx[p * (p + 1) + p] = s[YY]!;
  return weightSummary(hasY, s);
}

function genericChunk(
  p: number,
  stride: number,
  hasY: boolean,
  idx: Int32Array,
  w: Float64Array,
  z: Float64Array,
  y: Float64Array,
  off: Float64Array,
  X: Float64Array,
  n: number,
  G: Float64Array,
  xx: Float64Array,
  s: Float64Array,
  from: number,
  to: number,
): void {
  const yo = p + 1;
  const pe = p + 1;
  let yy = 0;
  let wprod = 1;
  let wdev = 0;
  for (let r = from; r < to; r++) {
    const wr = w[r]!;
    const zr = z[r]!;
    const wz = wr * zr;
    const o = idx[r]! * stride;
    const yr = y[r]! - off[r]!;
    G[o]! += wz * zr;
    G[o + yo]! += wz * yr;
    yy += wr * yr * yr;
    wprod *= wr;
    wdev += Math.abs(wr - 1);
    for (let a = 0; a < p; a++) {
      const xa = X[a * n + r]!;
      G[o + 1 + a]! += wz * xa;
      const va = wr * xa;
      for (let c = 0; c <= a; c++) xx[c * pe + a]! += va * X[c * n + r]!;
      xx[a * pe + p]! += va * yr;
    }
  }
  s[YY]! += yy;
  addWeightSums(hasY, s, wprod, wdev, w, from, to);
}
