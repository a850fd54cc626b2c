import type { MixedSystem, ResponseCrossProducts } from '@glmm/engine';
import { choleskyInPlace, forwardSolve, logDetFromCholesky } from '@glmm/linalg';

/** The pieces of the profiled deviance at one theta. */
export interface ProfileTerms {
  /** Penalised weighted residual sum of squares. */
  readonly pwrss: number;
  /** log det(Lambda'Z'WZ Lambda + I). */
  readonly ldL2: number;
  /** log det(R_X'R_X). */
  readonly ldRX2: number;
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
 * forms the quantities the block Cholesky forms, so both agree to rounding.
 */
export class ScalarTermProfile {
  /** Per level: a_j = sum w z^2. */
  private readonly zz: Float64Array;
  /** Per level (level-major, p per level): sum w z x_a. */
  private readonly zx: Float64Array;
  /** Per level: sum w z (y - offset). */
  private readonly zy: Float64Array;
  private readonly xtx: Float64Array;
  private readonly xty: Float64Array;
  private readonly yty: number;
  private readonly p: number;
  private readonly S: Float64Array;
  private readonly v: Float64Array;
  private readonly out = new Float64Array(ELIMINATION_SLOTS);

  /** Reads the sums off an accumulated system with one scalar term. */
  constructor(system: MixedSystem, products: ResponseCrossProducts) {
    const re = system.re;
    if (re.nTerms !== 1 || re.k[0] !== 1) throw new Error('ScalarTermProfile needs exactly one scalar random-effects term');
    const q = re.q;
    const p = system.xNode >= 0 ? system.p : 0;
    this.p = p;
    this.zy = products.zty;
    this.xty = products.xty;
    this.yty = products.yty;
    const { diagOffset } = system.pattern;
    this.xtx = p > 0 ? system.A.slice(diagOffset[system.xNode]!, diagOffset[system.xNode]! + p * p) : new Float64Array(0);
    this.S = new Float64Array(p * p);
    this.v = new Float64Array(p);
    this.zz = new Float64Array(q);
    this.zx = new Float64Array(q * p);
    // The loop comes last: code after a long loop can run without type feedback once V8 compiles the loop on the stack.
    gatherLevels(system, p, this.zz, this.zx);
  }

  /**
   * The deviance's pieces at Lambda = l, or null when the fixed-effects block
   * is not positive definite (or l overflows the sums).
   */
  evaluate(l: number): ProfileTerms | null {
    const { zz, zx, zy, p, S, v } = this;
    S.set(this.xtx);
    v.set(this.xty);
    const out = this.out;
    out.fill(0);
    out[BATCH] = 1;
    const eliminate = p <= UNROLLED_MAX_P ? eliminateUnrolled : eliminateGeneric;
    const q = zz.length;
    for (let from = 0; from < q; from += CHUNK) eliminate(zz, zx, zy, p, l, S, v, out, from, Math.min(q, from + CHUNK));
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
}

/** a_j into zz and (Z'WX)_j into zx (p per level) from the system's blocks. */
function gatherLevels(system: MixedSystem, p: number, zz: Float64Array, zx: Float64Array): void {
  const { colPtr, rowIdx, diagOffset, blockOffset } = system.pattern;
  const A = system.A;
  const xNode = system.xNode;
  for (let j = 0; j < zz.length; j++) {
    zz[j] = A[diagOffset[j]!]!;
    for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++)
      if (rowIdx[b] === xNode) for (let a = 0; a < p; a++) zx[j * p + a] = A[blockOffset[b]! + a]!;
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
  zz: Float64Array,
  zx: Float64Array,
  zy: Float64Array,
  p: number,
  l: number,
  S: Float64Array,
  v: Float64Array,
  out: Float64Array,
  from: number,
  to: number,
): void {
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
    const d = zz[j]! * l * l + 1;
    const u = l * zy[j]!;
    const inv = 1 / d;
    r2 += u * u * inv;
    if (d < 1e100) {
      batch *= d;
      if (batch > 1e200) {
        ld += Math.log(batch);
        batch = 1;
      }
    } else ld += Math.log(d);
    const o = j * p;
    if (p > 0) {
      const g0 = zx[o]! * l;
      const t0 = g0 * inv;
      v0 -= t0 * u;
      s00 -= t0 * g0;
      if (p > 1) {
        const g1 = zx[o + 1]! * l;
        const t1 = g1 * inv;
        v1 -= t1 * u;
        s10 -= t1 * g0;
        s11 -= t1 * g1;
        if (p > 2) {
          const g2 = zx[o + 2]! * l;
          const t2 = g2 * inv;
          v2 -= t2 * u;
          s20 -= t2 * g0;
          s21 -= t2 * g1;
          s22 -= t2 * g2;
          if (p > 3) {
            const g3 = zx[o + 3]! * l;
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
  zz: Float64Array,
  zx: Float64Array,
  zy: Float64Array,
  p: number,
  l: number,
  S: Float64Array,
  v: Float64Array,
  out: Float64Array,
  from: number,
  to: number,
): void {
  let r2 = out[R2]!;
  let ld = out[LOG_DET]!;
  let batch = out[BATCH]!;
  for (let j = from; j < to; j++) {
    const d = zz[j]! * l * l + 1;
    const u = l * zy[j]!;
    const inv = 1 / d;
    r2 += u * u * inv;
    if (d < 1e100) {
      batch *= d;
      if (batch > 1e200) {
        ld += Math.log(batch);
        batch = 1;
      }
    } else ld += Math.log(d);
    const o = j * p;
    for (let a = 0; a < p; a++) {
      const ga = zx[o + a]! * l;
      const ta = ga * inv;
      v[a]! -= ta * u;
      for (let c = 0; c <= a; c++) S[c * p + a]! -= ta * (zx[o + c]! * l);
    }
  }
  out[R2] = r2;
  out[LOG_DET] = ld;
  out[BATCH] = batch;
}
