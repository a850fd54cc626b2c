import type { ScalarTermSums } from '@glmm/engine';
import { backwardSolve, choleskyInPlace, forwardSolve, inverseFromCholesky, logDetFromCholesky } from '@glmm/linalg';

/** The pieces of the profiled deviance at one theta. */
export interface ProfileTerms {
  /** Penalised weighted residual sum of squares. */
  readonly pwrss: number;
  /** log det(Lambda'Z'WZ Lambda + I). */
  readonly ldL2: number;
  /** log det(R_X'R_X). */
  readonly ldRX2: number;
}

/** The solution of the penalised normal equations at one theta, with what vcov and the conditional SDs need. */
export interface ProfileSolution extends ProfileTerms {
  readonly beta: Float64Array;
  /** Spherical random effects, one per level. */
  readonly u: Float64Array;
  /** (R_X'R_X)^{-1} = S^{-1}, column-major p x p: vcov(beta) over sigma^2. */
  readonly fixedInverse: Float64Array;
  /** 1 / d_j per level: the diagonal of (Lambda'Z'WZ Lambda + I)^{-1}. */
  readonly inverseDiagonal: Float64Array;
}

/**
 * Closed form of the profiled deviance for one scalar random-effects term.
 * Lambda is the number l, so Lambda'Z'WZ Lambda + I is diagonal with
 * d_j = l^2 a_j + 1 (a_j = sum w z^2 over level j), and eliminating the levels
 * leaves the p x p Schur complement
 *
 *   S = X'WX - sum_j (l^2 / d_j) (Z'WX)_j' (Z'WX)_j,
 *
 * so an evaluation is O(levels * p^2) with no block factorisation: for 10^4
 * levels about ten times cheaper than refactoring the block system.  It
 * forms the quantities the block Cholesky forms, so both agree to rounding;
 * the solution (beta, u, vcov and the conditional variances) follows by
 * back-substitution in the same closed form.
 */
export class ScalarTermProfile {
  /** Per level, at j * stride: a_j, (Z'WX)_j (p entries), z'W(y - offset) over level j. */
  private readonly perLevel: Float64Array;
  private readonly stride: number;
  private readonly xtx: Float64Array;
  private readonly xty: Float64Array;
  private readonly yty: number;
  private readonly p: number;
  private readonly levels: number;
  private readonly S: Float64Array;
  private readonly v: Float64Array;
  private readonly out = new Float64Array(ELIMINATION_SLOTS);

  constructor(sums: ScalarTermSums) {
    const { p, xx } = sums;
    const pe = p + 1;
    this.p = p;
    this.levels = sums.levels;
    this.perLevel = sums.perLevel;
    this.stride = sums.stride;
    // X'WX in full (both triangles, as the block system holds it) and X'Wr from the (p + 1)-square sums.
    this.xtx = new Float64Array(p * p);
    this.xty = new Float64Array(p);
    for (let c = 0; c < p; c++) {
      for (let a = c; a < p; a++) {
        this.xtx[c * p + a] = xx[c * pe + a]!;
        this.xtx[a * p + c] = xx[c * pe + a]!;
      }
      this.xty[c] = xx[c * pe + p]!;
    }
    this.yty = xx[p * pe + p]!;
    this.S = new Float64Array(p * p);
    this.v = new Float64Array(p);
  }

  /**
   * The deviance's pieces at Lambda = l, or null when the fixed-effects block
   * is not positive definite (or l overflows the sums).  Leaves the Cholesky
   * factor of S in `S` and L^{-1} of the reduced X'Wr in `v`.
   */
  evaluate(l: number): ProfileTerms | null {
    const { perLevel, stride, p, S, v } = this;
    S.set(this.xtx);
    v.set(this.xty);
    const out = this.out;
    out.fill(0);
    out[BATCH] = 1;
    const eliminate = p <= UNROLLED_MAX_P ? eliminateUnrolled : eliminateGeneric;
    const q = this.levels;
    for (let from = 0; from < q; from += CHUNK) eliminate(perLevel, stride, p, l, S, v, out, from, Math.min(q, from + CHUNK));
    let r2 = out[R2]!;
    const ldL2 = out[LOG_DET]! + Math.log(out[BATCH]!);
    // Only an absurd theta (l^2 a_j overflowing) gets here; the search treats it like a failed factor.
    if (!Number.isFinite(r2) || !Number.isFinite(ldL2)) return null;
    if (p === 0) return { pwrss: Math.max(this.yty - r2, 1e-300), ldL2, ldRX2: 0 };
    if (!choleskyInPlace(S, p)) return null;
    forwardSolve(S, p, v);
    for (let a = 0; a < p; a++) r2 += v[a]! * v[a]!;
    // pwrss can lose digits to cancellation only when the fit is nearly exact; clamp at a tiny positive value.
    return { pwrss: Math.max(this.yty - r2, 1e-300), ldL2, ldRX2: logDetFromCholesky(S, p) };
  }

  /**
   * The solution at Lambda = l: beta from R_X beta = v, then each level's
   * u_j = (l z'Wr_j - g_j'beta) / d_j with g_j = l (Z'WX)_j, which is the
   * block factor's back-substitution with its sqrt(d_j) pairs multiplied out.
   */
  solve(l: number): ProfileSolution | null {
    const terms = this.evaluate(l);
    if (!terms) return null;
    const { perLevel, stride, p } = this;
    const beta = Float64Array.from(this.v);
    if (p > 0) backwardSolve(this.S, p, beta);
    const u = new Float64Array(this.levels);
    const inverseDiagonal = new Float64Array(this.levels);
    backSubstitute(perLevel, stride, p, l, beta, u, inverseDiagonal);
    const fixedInverse = p > 0 ? inverseFromCholesky(this.S, p) : new Float64Array(0);
    return { ...terms, beta, u, fixedInverse, inverseDiagonal };
  }
}

/** u_j and 1 / d_j for every level (see ScalarTermProfile.solve). */
function backSubstitute(
  perLevel: Float64Array,
  stride: number,
  p: number,
  l: number,
  beta: Float64Array,
  u: Float64Array,
  inverseDiagonal: Float64Array,
): void {
  const yo = p + 1;
  for (let j = 0; j < u.length; j++) {
    const o = j * stride;
    const d = perLevel[o]! * l * l + 1;
    let r = l * perLevel[o + yo]!;
    for (let a = 0; a < p; a++) r -= perLevel[o + 1 + a]! * l * beta[a]!;
    u[j] = r / d;
    inverseDiagonal[j] = 1 / d;
  }
}

/** Widest X the unrolled elimination handles. */
const UNROLLED_MAX_P = 4;
/**
 * Levels per call.  One call over all levels would be compiled on the stack
 * (on-stack replacement) before the code after its loop has type feedback;
 * that code then deoptimises on every later call and V8 may never compile the
 * whole function.  Short calls run the whole body warm first.
 */
const CHUNK = 1024;
// Slots of `out`: sum u_j^2 / d_j, the log-determinant of closed batches, the open batch's product.
const R2 = 0, LOG_DET = 1, BATCH = 2;
const ELIMINATION_SLOTS = 3;

/**
 * Eliminates levels [from, to): S -= g g' / d_j and v -= g u_j / d_j with
 * g = l (Z'WX)_j and u_j = l z'Wr_j, and sums u_j^2 / d_j and log d_j.
 * log det is a sum of q logarithms; multiplying the d_j (all >= 1) in batches
 * and taking one logarithm per batch saves most of them, and a batch closes
 * well before its product could overflow.  S and v live in locals for p <= 4
 * (a running sum in an array slot costs a store and a reload per level, and
 * the short loops over p cost more than the arithmetic: four times slower).
 */
function eliminateUnrolled(
  perLevel: Float64Array,
  stride: number,
  p: number,
  l: number,
  S: Float64Array,
  v: Float64Array,
  out: Float64Array,
  from: number,
  to: number,
): void {
  const yo = p + 1;
  // Row a, column c of S (lower triangle) at c * p + a; absent columns start at 0 and are not written back.
  let s00 = p > 0 ? S[0]! : 0;
  let s10 = p > 1 ? S[1]! : 0;
  let s20 = p > 2 ? S[2]! : 0;
  let s30 = p > 3 ? S[3]! : 0;
  let s11 = p > 1 ? S[p + 1]! : 0;
  let s21 = p > 2 ? S[p + 2]! : 0;
  let s31 = p > 3 ? S[p + 3]! : 0;
  let s22 = p > 2 ? S[2 * p + 2]! : 0;
  let s32 = p > 3 ? S[2 * p + 3]! : 0;
  let s33 = p > 3 ? S[3 * p + 3]! : 0;
  let v0 = p > 0 ? v[0]! : 0;
  let v1 = p > 1 ? v[1]! : 0;
  let v2 = p > 2 ? v[2]! : 0;
  let v3 = p > 3 ? v[3]! : 0;
  let r2 = out[R2]!;
  let ld = out[LOG_DET]!;
  let batch = out[BATCH]!;
  for (let j = from; j < to; j++) {
    // In the block factor's order: (a l) l + 1, then l * z'Wr.
    const o = j * stride;
    const d = perLevel[o]! * l * l + 1;
    const u = l * perLevel[o + yo]!;
    const inv = 1 / d;
    r2 += u * u * inv;
    if (d < 1e100) {
      batch *= d;
      if (batch > 1e200) {
        ld += Math.log(batch);
        batch = 1;
      }
    } else ld += Math.log(d);
    if (p > 0) {
      const g0 = perLevel[o + 1]! * l;
      const t0 = g0 * inv;
      v0 -= t0 * u;
      s00 -= t0 * g0;
      if (p > 1) {
        const g1 = perLevel[o + 2]! * l;
        const t1 = g1 * inv;
        v1 -= t1 * u;
        s10 -= t1 * g0;
        s11 -= t1 * g1;
        if (p > 2) {
          const g2 = perLevel[o + 3]! * l;
          const t2 = g2 * inv;
          v2 -= t2 * u;
          s20 -= t2 * g0;
          s21 -= t2 * g1;
          s22 -= t2 * g2;
          if (p > 3) {
            const g3 = perLevel[o + 4]! * l;
            const t3 = g3 * inv;
            v3 -= t3 * u;
            s30 -= t3 * g0;
            s31 -= t3 * g1;
            s32 -= t3 * g2;
            s33 -= t3 * g3;
          }
        }
      }
    }
  }
  out[R2] = r2;
  out[LOG_DET] = ld;
  out[BATCH] = batch;
  if (p > 0) {
    S[0] = s00;
    v[0] = v0;
  }
  if (p > 1) {
    S[1] = s10;
    S[p + 1] = s11;
    v[1] = v1;
  }
  if (p > 2) {
    S[2] = s20;
    S[p + 2] = s21;
    S[2 * p + 2] = s22;
    v[2] = v2;
  }
  if (p > 3) {
    S[3] = s30;
    S[p + 3] = s31;
    S[2 * p + 3] = s32;
    S[3 * p + 3] = s33;
    v[3] = v3;
  }
}

/** eliminateUnrolled for any p. */
function eliminateGeneric(
  perLevel: Float64Array,
  stride: number,
  p: number,
  l: number,
  S: Float64Array,
  v: Float64Array,
  out: Float64Array,
  from: number,
  to: number,
): void {
  const yo = p + 1;
  let r2 = out[R2]!;
  let ld = out[LOG_DET]!;
  let batch = out[BATCH]!;
  for (let j = from; j < to; j++) {
    const o = j * stride;
    const d = perLevel[o]! * l * l + 1;
    const u = l * perLevel[o + yo]!;
    const inv = 1 / d;
    r2 += u * u * inv;
    if (d < 1e100) {
      batch *= d;
      if (batch > 1e200) {
        ld += Math.log(batch);
        batch = 1;
      }
    } else ld += Math.log(d);
    for (let a = 0; a < p; a++) {
      const ga = perLevel[o + 1 + a]! * l;
      const ta = ga * inv;
      v[a]! -= ta * u;
      for (let c = 0; c <= a; c++) S[c * p + a]! -= ta * (perLevel[o + 1 + c]! * l);
    }
  }
  out[R2] = r2;
  out[LOG_DET] = ld;
  out[BATCH] = batch;
}
