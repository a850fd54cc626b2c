import { dpoisLog, isNonInteger, outputBuffer } from '@glmm/distributions';

/** V(mu) = mu. */
export function poissonVariance(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  r.set(mu.subarray(0, mu.length));
  return r;
}

/** dV/dmu = 1. */
export function poissonVarianceDerivative(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  r.fill(1, 0, mu.length);
  return r;
}

/** R's poisson()$dev.resids: 2 wt (y log(y/mu) - (y - mu)), which is 2 wt mu at y = 0. */
export function poissonDevResiduals(y: Float64Array, mu: Float64Array, wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const mi = mu[i]!;
    r[i] = 2 * wt[i]! * (yi > 0 ? yi * Math.log(yi / mi) - (yi - mi) : mi);
  }
  return r;
}

/** V(mu) = mu and dV/dmu = 1 for one mu. */
export function poissonVarianceAt(mu: number, out: Float64Array): void {
  out[0] = mu;
  out[1] = 1;
}

/** One row of poissonDevResiduals. */
export function poissonDevResidualAt(y: number, mu: number, wt: number): number {
  return 2 * wt * (y > 0 ? y * Math.log(y / mu) - (y - mu) : mu);
}

/**
 * R's poisson()$aic: -2 sum(dpois(y, mu, log = TRUE) wt).  A row of weight
 * 0 adds nothing (R would give NaN for 0 * -Inf there).
 */
export function poissonAic(y: Float64Array, _n: Float64Array, mu: Float64Array, wt: Float64Array, _dev: number): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const w = wt[i]!;
    if (w === 0) continue;
    const yi = y[i]!;
    // The saturated model (mu = y), which every GLMM fit needs once, repeats
    // few distinct small counts: their densities are looked up, not recomputed.
    sum += (mu[i] === yi && yi >= 0 && yi < SATURATED_CACHE && yi === Math.floor(yi) ? saturatedLog(yi) : dpoisLog(yi, mu[i]!)) * w;
  }
  return -2 * sum;
}

const SATURATED_CACHE = 1024;
const saturated = new Float64Array(SATURATED_CACHE).fill(Number.NaN);

/** log dpois(k; k) for a whole k below SATURATED_CACHE, computed on first use. */
function saturatedLog(k: number): number {
  let v = saturated[k]!;
  if (Number.isNaN(v)) {
    v = dpoisLog(k, k);
    saturated[k] = v;
  }
  return v;
}

/** R's poisson()$initialize: mustart = y + 0.1. */
export function poissonStartingMu(y: Float64Array, _wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) r[i] = y[i]! + 0.1;
  return r;
}

/** R's poisson()$validmu: every mu finite and positive. */
export function poissonValidMu(mu: Float64Array): boolean {
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    if (!(m > 0 && Number.isFinite(m))) return false;
  }
  return true;
}

/** Counts: non-negative whole numbers (R's own integer test, 1e-7 relative). */
export function poissonCheckResponse(y: Float64Array, _wt: Float64Array): string | null {
  let bad = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    if (!(yi >= 0 && Number.isFinite(yi)) || isNonInteger(yi)) bad++;
  }
  return bad === 0 ? null : `values must be non-negative integers (counts); ${bad} of ${y.length} rows are not`;
}
