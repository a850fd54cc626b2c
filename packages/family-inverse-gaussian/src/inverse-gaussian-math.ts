import { dinvgaussLog, outputBuffer } from '@glmm/distributions';

/*
 * The inverse Gaussian family, Var(y) = phi mu^3.  The functions take the
 * dispersion phi: phi = 1 gives R's inverse.gaussian() (unit deviance,
 * variance function mu^3); a fixed phi gives the family at that dispersion,
 * whose deviance residuals are the unit deviances over phi, so that they sum
 * to the conditional -2 log-likelihood up to a constant and PIRLS on them
 * (with weights mu.eta^2 / (phi mu^3)) maximises the likelihood at that phi.
 */

/** V(mu) = phi mu^3. */
export function igVariance(mu: Float64Array, phi: number, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    r[i] = phi * m * m * m;
  }
  return r;
}

/** dV/dmu = 3 phi mu^2. */
export function igVarianceDerivative(mu: Float64Array, phi: number, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    r[i] = 3 * phi * m * m;
  }
  return r;
}

/** V(mu) and dV/dmu for one mu. */
export function igVarianceAt(mu: number, phi: number, out: Float64Array): void {
  out[0] = phi * mu * mu * mu;
  out[1] = 3 * phi * mu * mu;
}

/**
 * One row of R's inverse.gaussian()$dev.resids, wt (y - mu)^2 / (y mu^2),
 * over phi.  Formed as ((y - mu)/mu)^2 / y, which stays finite for a mean
 * near the largest double, where (y - mu)^2 and y mu^2 both overflow.
 */
export function igDevResidualAt(y: number, mu: number, wt: number, phi: number): number {
  const r = (y - mu) / mu;
  return (wt * r * r) / (y * phi);
}

export function igDevResiduals(
  y: Float64Array,
  mu: Float64Array,
  wt: Float64Array,
  phi: number,
  out?: Float64Array,
): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) r[i] = igDevResidualAt(y[i]!, mu[i]!, wt[i]!, phi);
  return r;
}

/** -2 sum(wt log f(y; mu, phi)), the exact -2 log-likelihood at dispersion phi; a row of weight 0 adds nothing. */
export function igMinusTwoLogLik(y: Float64Array, mu: Float64Array, wt: Float64Array, phi: number): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const w = wt[i]!;
    if (w !== 0) sum += w * dinvgaussLog(y[i]!, mu[i]!, phi);
  }
  return -2 * sum;
}

/**
 * R's inverse.gaussian()$aic: the -2 log-likelihood at the dispersion's
 * maximum-likelihood value for these means, dev / sum(wt), plus 2 for it:
 * sum(wt) (log(2 pi disp) + 1) + 3 sum(wt log y) + 2.
 */
export function igProfileAic(y: Float64Array, wt: Float64Array, dev: number): number {
  let totalWeight = 0;
  let logY = 0;
  for (let i = 0; i < y.length; i++) {
    const w = wt[i]!;
    totalWeight += w;
    if (w !== 0) logY += w * Math.log(y[i]!);
  }
  const disp = dev / totalWeight;
  return totalWeight * (Math.log(2 * Math.PI * disp) + 1) + 3 * logY + 2;
}

/** The maximum-likelihood dispersion at fixed means: sum(wt d(y, mu)) / sum(wt). */
export function igDispersionStart(y: Float64Array, mu: Float64Array, wt: Float64Array): number {
  let dev = 0;
  let totalWeight = 0;
  for (let i = 0; i < y.length; i++) {
    dev += igDevResidualAt(y[i]!, mu[i]!, wt[i]!, 1);
    totalWeight += wt[i]!;
  }
  const phi = dev / totalWeight;
  // A perfect fit (every y equal to its mean) has no ML dispersion; start at a small positive one.
  return phi > 0 && Number.isFinite(phi) ? phi : 1e-8;
}

/** R's inverse.gaussian()$initialize: mustart = y. */
export function igStartingMu(y: Float64Array, _wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  r.set(y.subarray(0, y.length));
  return r;
}

/** Every mu finite and positive. */
export function igValidMu(mu: Float64Array): boolean {
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    if (!(m > 0 && Number.isFinite(m))) return false;
  }
  return true;
}

/** R's inverse.gaussian()$initialize refuses y <= 0. */
export function igCheckResponse(y: Float64Array, _wt: Float64Array): string | null {
  let bad = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    if (!(yi > 0 && Number.isFinite(yi))) bad++;
  }
  return bad === 0
    ? null
    : `values must be positive (the inverse Gaussian family needs y > 0); ${bad} of ${y.length} rows are not`;
}
