import { dgammaLog, outputBuffer } from '@glmm/distributions';

/** V(mu) = mu^2. */
export function gammaVariance(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    r[i] = m * m;
  }
  return r;
}

/** dV/dmu = 2 mu. */
export function gammaVarianceDerivative(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = 2 * mu[i]!;
  return r;
}

/** R's Gamma()$dev.resids: -2 wt (log(y/mu) - (y - mu)/mu), with log(y/mu) taken as 0 at y = 0. */
export function gammaDevResiduals(y: Float64Array, mu: Float64Array, wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const mi = mu[i]!;
    r[i] = -2 * wt[i]! * (Math.log(yi === 0 ? 1 : yi / mi) - (yi - mi) / mi);
  }
  return r;
}

/**
 * R's Gamma()$aic: the dispersion is estimated as dev / sum(wt) and the
 * -2 log-likelihood -2 sum(wt log dgamma(y; 1/disp, scale mu disp)) gets
 * + 2 for it.  lme4 uses this in the Laplace deviance.  A row of weight 0
 * adds nothing (R would give NaN for 0 * -Inf there).
 */
export function gammaAic(y: Float64Array, _n: Float64Array, mu: Float64Array, wt: Float64Array, dev: number): number {
  let totalWeight = 0;
  for (let i = 0; i < wt.length; i++) totalWeight += wt[i]!;
  const disp = dev / totalWeight;
  const shape = 1 / disp;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const w = wt[i]!;
    if (w !== 0) sum += dgammaLog(y[i]!, shape, mu[i]! * disp) * w;
  }
  return -2 * sum + 2;
}

/** R's Gamma()$initialize: mustart = y. */
export function gammaStartingMu(y: Float64Array, _wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  r.set(y.subarray(0, y.length));
  return r;
}

/** R's Gamma()$validmu: every mu finite and positive. */
export function gammaValidMu(mu: Float64Array): boolean {
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    if (!(m > 0 && Number.isFinite(m))) return false;
  }
  return true;
}

/** R's Gamma()$initialize refuses y <= 0. */
export function gammaCheckResponse(y: Float64Array, _wt: Float64Array): string | null {
  let bad = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    if (!(yi > 0 && Number.isFinite(yi))) bad++;
  }
  return bad === 0 ? null : `values must be positive (the Gamma family needs y > 0); ${bad} of ${y.length} rows are not`;
}
