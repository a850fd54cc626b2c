import { dnbinomLog, isNonInteger, outputBuffer } from '@glmm/distributions';

/*
 * The NB2 family at a fixed shape theta: Var(y) = mu + mu^2 / theta.
 * theta = Infinity is the Poisson limit, which every function here takes
 * exactly (not as a large number), so the family without a fixed shape can
 * be the Poisson model that glmer.nb and glmmTMB start from.
 */

/** V(mu) = mu + mu^2 / theta, as mu (mu / theta) so that it overflows only where the value does. */
export function nbVariance(mu: Float64Array, theta: number, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    r[i] = m + m * (m / theta);
  }
  return r;
}

/** dV/dmu = 1 + 2 mu / theta. */
export function nbVarianceDerivative(mu: Float64Array, theta: number, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = 1 + (2 * mu[i]!) / theta;
  return r;
}

/** V(mu) and dV/dmu for one mu. */
export function nbVarianceAt(mu: number, theta: number, out: Float64Array): void {
  out[0] = mu + mu * (mu / theta);
  out[1] = 1 + (2 * mu) / theta;
}

/**
 * One row of MASS's negative.binomial(theta)$dev.resids:
 * 2 wt (y log(y/mu) - (y + theta) log((y + theta)/(mu + theta))), y log(y/mu) = 0 at y = 0.
 * The second log is log1p((y - mu)/(mu + theta)), exact for a large theta,
 * where (y + theta) times it tends to y - mu: the Poisson deviance at theta = Infinity.
 */
export function nbDevResidualAt(y: number, mu: number, wt: number, theta: number): number {
  const ylog = y > 0 ? y * Math.log(y / mu) : 0;
  const tail = theta === Infinity ? y - mu : (y + theta) * Math.log1p((y - mu) / (mu + theta));
  return 2 * wt * (ylog - tail);
}

export function nbDevResiduals(
  y: Float64Array,
  mu: Float64Array,
  wt: Float64Array,
  theta: number,
  out?: Float64Array,
): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) r[i] = nbDevResidualAt(y[i]!, mu[i]!, wt[i]!, theta);
  return r;
}

/**
 * -2 sum(wt log dnbinom(y; theta, mu)), the exact -2 log-likelihood (MASS's
 * negative.binomial(theta)$aic); a row of weight 0 adds nothing.
 */
export function nbMinusTwoLogLik(y: Float64Array, mu: Float64Array, wt: Float64Array, theta: number): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const w = wt[i]!;
    if (w !== 0) sum += w * dnbinomLog(y[i]!, theta, mu[i]!);
  }
  return -2 * sum;
}

/** MASS's negative.binomial()$initialize: mustart = y + (y == 0) / 6. */
export function nbStartingMu(y: Float64Array, _wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    r[i] = yi === 0 ? 1 / 6 : yi;
  }
  return r;
}

/** Every mu finite and positive. */
export function nbValidMu(mu: Float64Array): boolean {
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    if (!(m > 0 && Number.isFinite(m))) return false;
  }
  return true;
}

/** Counts: non-negative whole numbers (R's own integer test, 1e-7 relative). */
export function nbCheckResponse(y: Float64Array, _wt: Float64Array): string | null {
  let bad = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    if (!(yi >= 0 && Number.isFinite(yi)) || isNonInteger(yi)) bad++;
  }
  return bad === 0 ? null : `values must be non-negative integers (counts); ${bad} of ${y.length} rows are not`;
}
