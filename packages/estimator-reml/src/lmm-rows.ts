import type { RandomEffectsStructure } from '@glmm/engine';

/** Per-row results of a linear mixed model at (beta, b). */
export interface LmmRows {
  /** offset + X beta + Z b; for the identity link also the fitted values. */
  readonly eta: Float64Array;
  /** y - eta. */
  readonly residResponse: Float64Array;
  /** sqrt(w) (y - eta); the same array as residResponse when every weight is 1. */
  readonly residDeviance: Float64Array;
  /** sum w (y - eta)^2. */
  readonly conditionalDeviance: number;
}

/** Widest X the fused single-term loop handles; wider designs take the column-wise path. */
const FUSED_MAX_P = 4;

/**
 * The final pass over the rows.  Every n-long array costs a fresh allocation
 * whose page faults (about 4 ms per million doubles here) exceed the
 * arithmetic, so arrays that would hold equal values are shared instead of
 * copied: with unit weights the deviance residuals are the response residuals.
 */
export function lmmRows(re: RandomEffectsStructure, beta: Float64Array, b: Float64Array, unitWeights: boolean): LmmRows {
  const n = re.model.n;
  const eta = new Float64Array(n);
  const residResponse = new Float64Array(n);
  const residDeviance = unitWeights ? residResponse : new Float64Array(n);
  const conditionalDeviance =
    re.nTerms === 1 && re.k[0] === 1 && re.model.p <= FUSED_MAX_P
      ? scalarTermRows(re, beta, b, eta, residResponse, residDeviance)
      : generalRows(re, beta, b, eta, residResponse, residDeviance);
  return { eta, residResponse, residDeviance, conditionalDeviance };
}

/**
 * Rows per call of the fused loop: one call over a million rows runs in V8's
 * on-stack-replacement code, whose exit after the loop (compiled without type
 * feedback) can deoptimise on every later call and keep the loop in slow code
 * for many fits.  Short calls are optimised as a whole once warm.
 */
const CHUNK = 4096;

/**
 * One scalar term: eta, both residuals and the deviance in a single pass.
 * eta is summed in the order of the general path -- offset, X beta by
 * column, then Z b -- so both agree to the bit.
 */
function scalarTermRows(
  re: RandomEffectsStructure,
  beta: Float64Array,
  b: Float64Array,
  eta: Float64Array,
  residResponse: Float64Array,
  residDeviance: Float64Array,
): number {
  const { n, p, X, y, weights, offset } = re.model;
  const term = re.terms[0]!;
  const coef = (a: number): number => (p > a ? beta[a]! : 0);
  const [b0, b1, b2, b3] = [coef(0), coef(1), coef(2), coef(3)];
  const bt = b.subarray(re.coefBase[0]!, re.coefBase[1]!);
  const idx = term.index;
  const z = term.columns[0]!;
  const shared = residDeviance === residResponse;
  // Shared residuals mean unit weights, so z being the weights' array means z = 1.
  const unit = shared && z === weights;
  let dev = 0;
  for (let from = 0; from < n; ) {
    // A short first call runs the code after the loop before the loop is hot (see CHUNK).
    const to = Math.min(n, from + (from === 0 ? 64 : CHUNK));
    dev += unit
      ? unitChunk(p, n, X, b0, b1, b2, b3, idx, bt, y, offset, eta, residResponse, from, to)
      : scalarTermChunk(p, n, X, b0, b1, b2, b3, idx, z, bt, y, weights, offset, eta, residResponse, residDeviance, shared, from, to);
    from = to;
  }
  return dev;
}

/**
 * scalarTermChunk for a random intercept with unit weights: z b is
 * 1 * b, exactly b, so z is not read, and one residual array serves both.
 */
function unitChunk(
  p: number,
  n: number,
  X: Float64Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  idx: Int32Array,
  bt: Float64Array,
  y: Float64Array,
  off: Float64Array,
  eta: Float64Array,
  resid: Float64Array,
  from: number,
  to: number,
): number {
  const n2 = 2 * n;
  const n3 = 3 * n;
  let dev = 0;
  for (let r = from; r < to; r++) {
    let e = off[r]!;
    if (p > 0) {
      e += X[r]! * b0;
      if (p > 1) {
        e += X[r + n]! * b1;
        if (p > 2) {
          e += X[r + n2]! * b2;
          if (p > 3) e += X[r + n3]! * b3;
        }
      }
    }
    e += bt[idx[r]!]!;
    eta[r] = e;
    const res = y[r]! - e;
    resid[r] = res;
    dev += res * res;
  }
  return dev;
}

/**
 * Rows [from, to) of scalarTermRows.  Everything is a plain argument (V8
 * then needs no map checks or field dependencies), X is one array read at
 * r + a * n (separate column views are more live pointers than the
 * registers hold: about 1.5 times slower here), and the nested `p > k` tests
 * are loop-invariant and predicted.
 */
function scalarTermChunk(
  p: number,
  n: number,
  X: Float64Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  idx: Int32Array,
  z: Float64Array,
  bt: Float64Array,
  y: Float64Array,
  w: Float64Array,
  off: Float64Array,
  eta: Float64Array,
  residResponse: Float64Array,
  residDeviance: Float64Array,
  shared: boolean,
  from: number,
  to: number,
): number {
  const n2 = 2 * n;
  const n3 = 3 * n;
  let dev = 0;
  for (let r = from; r < to; r++) {
    let e = off[r]!;
    if (p > 0) {
      e += X[r]! * b0;
      if (p > 1) {
        e += X[r + n]! * b1;
        if (p > 2) {
          e += X[r + n2]! * b2;
          if (p > 3) e += X[r + n3]! * b3;
        }
      }
    }
    e += z[r]! * bt[idx[r]!]!;
    eta[r] = e;
    const res = y[r]! - e;
    residResponse[r] = res;
    // Shared arrays mean unit weights: the weights need not be read at all.
    if (shared) dev += res * res;
    else {
      const wr = w[r]!;
      residDeviance[r] = wr === 1 ? res : Math.sqrt(wr) * res;
      dev += wr * res * res;
    }
  }
  return dev;
}

/** Any model: eta column by column and term by term, then the residuals. */
function generalRows(
  re: RandomEffectsStructure,
  beta: Float64Array,
  b: Float64Array,
  eta: Float64Array,
  residResponse: Float64Array,
  residDeviance: Float64Array,
): number {
  const { n, p, X, y, weights: w, offset } = re.model;
  eta.set(offset);
  for (let a = 0; a < p; a++) {
    const ba = beta[a]!;
    const xo = a * n;
    for (let r = 0; r < n; r++) eta[r]! += X[xo + r]! * ba;
  }
  re.addZb(b, eta);
  const shared = residDeviance === residResponse;
  let dev = 0;
  for (let r = 0; r < n; r++) {
    const res = y[r]! - eta[r]!;
    residResponse[r] = res;
    if (shared) dev += res * res;
    else {
      const wr = w[r]!;
      residDeviance[r] = wr === 1 ? res : Math.sqrt(wr) * res;
      dev += wr * res * res;
    }
  }
  return dev;
}
