import { outputBuffer } from './buffer.js';

/** V(mu) = 1. */
export function gaussianVariance(mu: Float64Array, out?: Float64Array): Float64Array {
  return outputBuffer(mu.length, out).fill(1, 0, mu.length);
}

/** dV/dmu = 0. */
export function gaussianVarianceDerivative(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  r.fill(0, 0, mu.length);
  return r;
}

/** R's gaussian()$dev.resids: wt (y - mu)^2. */
export function gaussianDevResiduals(y: Float64Array, mu: Float64Array, wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) {
    const d = y[i]! - mu[i]!;
    r[i] = wt[i]! * d * d;
  }
  return r;
}

/**
 * R's gaussian()$aic: nobs (log(2 pi dev / nobs) + 1) + 2 - sum(log(wt)),
 * -2 log-likelihood at the ML variance dev/nobs, with the +2 of that variance.
 */
export function gaussianAic(y: Float64Array, _n: Float64Array, _mu: Float64Array, wt: Float64Array, dev: number): number {
  const nobs = y.length;
  let sumLogWt = 0;
  for (let i = 0; i < wt.length; i++) sumLogWt += Math.log(wt[i]!);
  return nobs * (Math.log((2 * Math.PI * dev) / nobs) + 1) + 2 - sumLogWt;
}

/** R's gaussian()$initialize: mustart = y. */
export function gaussianStartingMu(y: Float64Array, _wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  r.set(y);
  return r;
}

/** Any finite response; a reason naming how many rows fail otherwise. */
export function gaussianCheckResponse(y: Float64Array, _wt: Float64Array): string | null {
  let bad = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i]!)) bad++;
  return bad === 0 ? null : `values must be finite numbers; ${bad} of ${y.length} rows are not`;
}

/** R's gaussian()$validmu is TRUE; a non-finite mean is refused as well. */
export function gaussianValidMu(mu: Float64Array): boolean {
  for (let i = 0; i < mu.length; i++) if (!Number.isFinite(mu[i]!)) return false;
  return true;
}
