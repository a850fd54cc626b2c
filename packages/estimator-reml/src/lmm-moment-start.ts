import type { RandomEffectsStructure } from '@glmm/engine';
import { backwardSolve, choleskyInPlace, forwardSolve } from '@glmm/linalg';

/**
 * Moment (ANOVA-type) estimates of the relative SD theta of each scalar
 * random-effects term of a linear mixed model, as a start for the search
 * instead of lme4's theta = 1.  From the weighted least-squares residuals r
 * of the fixed effects: with R_j = sum_{i in j} w z r and N_j = sum w z^2,
 * E[R_j^2] ~ sigma^2 N_j + sigma_t^2 N_j^2, so
 * sigma_t^2 ~ sum_j (R_j^2 - s^2 N_j) / sum_j N_j^2 and theta_t = sigma_t / s,
 * each term on its own (another term's variance inflates it a little: a
 * start, not an estimate).  Never below `floor` (theta = 0 is where the
 * search would find no slope); terms with several columns keep `fallback`.
 */
export function lmmMomentStart(re: RandomEffectsStructure, fallback: Float64Array, floor: number): Float64Array {
  const out = Float64Array.from(fallback);
  const model = re.model;
  const { n, p, X, y, weights: w, offset } = model;
  // Weighted least squares for beta, in one pass over the rows for X'WX and X'Wy.
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const wr = w[r]!;
    const yr = y[r]! - offset[r]!;
    for (let a = 0; a < p; a++) {
      const wxa = wr * X[a * n + r]!;
      xty[a]! += wxa * yr;
      for (let c = 0; c <= a; c++) xtx[c * p + a]! += wxa * X[c * n + r]!;
    }
  }
  if (p > 0 && !choleskyInPlace(xtx, p)) return out;
  if (p > 0) {
    forwardSolve(xtx, p, xty);
    backwardSolve(xtx, p, xty);
  }
  const resid = new Float64Array(n);
  let rss = 0;
  let wsum = 0;
  for (let r = 0; r < n; r++) {
    let e = y[r]! - offset[r]!;
    for (let a = 0; a < p; a++) e -= X[a * n + r]! * xty[a]!;
    resid[r] = e;
    rss += w[r]! * e * e;
    wsum += w[r]! > 0 ? 1 : 0;
  }
  const s2 = rss / Math.max(wsum - p, 1);
  if (!(s2 > 0)) return out;
  for (let t = 0; t < re.nTerms; t++) {
    const term = re.terms[t]!;
    const diagonal = re.diagonalThetaPositions(t);
    if (diagonal === null) continue;
    for (let c = 0; c < term.columns.length; c++) {
      // Each column on its own, as if it were a scalar term: a start for the
      // diagonal of Lambda_t, with no correlation.
      const v = columnMomentVariance(term.columns[c]!, term.index, re.levels[t]!, w, resid, s2);
      if (Number.isFinite(v)) out[diagonal[c]!] = Math.max(Math.sqrt(Math.max(v, 0) / s2), floor);
    }
  }
  return out;
}

/** sum_j (R_j^2 - s2 N_j) / sum_j N_j^2 for one column z of a term, R_j = sum w z r and N_j = sum w z^2 over level j. */
function columnMomentVariance(z: Float64Array, idx: Int32Array, levels: number, w: Float64Array, resid: Float64Array, s2: number): number {
  const R = new Float64Array(levels);
  const N = new Float64Array(levels);
  for (let r = 0; r < idx.length; r++) {
    const wz = w[r]! * z[r]!;
    R[idx[r]!]! += wz * resid[r]!;
    N[idx[r]!]! += wz * z[r]!;
  }
  let num = 0;
  let den = 0;
  for (let j = 0; j < levels; j++) {
    num += R[j]! * R[j]! - s2 * N[j]!;
    den += N[j]! * N[j]!;
  }
  return num / den;
}
