import { dbinomLog, outputBuffer, roundHalfEven } from '@glmm/distributions';

/** V(mu) = mu (1 - mu). */
export function binomialVariance(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    r[i] = m * (1 - m);
  }
  return r;
}

/** dV/dmu = 1 - 2 mu. */
export function binomialVarianceDerivative(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = 1 - 2 * mu[i]!;
  return r;
}

/** y log(y / mu), taken as 0 at y = 0 (its limit). */
function yLogY(y: number, mu: number): number {
  return y !== 0 ? y * Math.log(y / mu) : 0;
}

/** R's binomial()$dev.resids: 2 wt (y log(y/mu) + (1 - y) log((1 - y)/(1 - mu))). */
export function binomialDevResiduals(y: Float64Array, mu: Float64Array, wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const mi = mu[i]!;
    r[i] = 2 * wt[i]! * (yLogY(yi, mi) + yLogY(1 - yi, 1 - mi));
  }
  return r;
}

/** V(mu) = mu (1 - mu) and dV/dmu = 1 - 2 mu for one mu. */
export function binomialVarianceAt(mu: number, out: Float64Array): void {
  out[0] = mu * (1 - mu);
  out[1] = 1 - 2 * mu;
}

/** One row of binomialDevResiduals. */
export function binomialDevResidualAt(y: number, mu: number, wt: number): number {
  return 2 * wt * (yLogY(y, mu) + yLogY(1 - y, 1 - mu));
}

/**
 * R's binomial()$aic: -2 sum((wt/m) dbinom(round(m y), round(m), mu, log = TRUE)),
 * where m is the number of trials: `n` when any n > 1 (R's glm passes the
 * trials there), otherwise the weights (which then hold the trials).
 */
export function binomialAic(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array, _dev: number): number {
  let useN = false;
  for (let i = 0; i < n.length; i++) {
    if (n[i]! > 1) {
      useN = true;
      break;
    }
  }
  const m = useN ? n : wt;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const mi = m[i]!;
    if (!(mi > 0)) continue; // R's ifelse(m > 0, wt/m, 0) weight
    // A Bernoulli row at its own mean (the saturated model every GLMM fit evaluates once) has density 1.
    if (mi === 1 && mu[i] === y[i] && (y[i] === 0 || y[i] === 1)) continue;
    sum += (wt[i]! / mi) * dbinomLog(roundHalfEven(mi * y[i]!), roundHalfEven(mi), mu[i]!);
  }
  return -2 * sum;
}

/** R's binomial()$initialize: mustart = (wt y + 0.5) / (wt + 1). */
export function binomialStartingMu(y: Float64Array, wt: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(y.length, out);
  for (let i = 0; i < y.length; i++) r[i] = (wt[i]! * y[i]! + 0.5) / (wt[i]! + 1);
  return r;
}

/** R's binomial()$validmu: every mu finite and strictly inside (0, 1). */
export function binomialValidMu(mu: Float64Array): boolean {
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    if (!(m > 0 && m < 1)) return false;
  }
  return true;
}

/** Success counts y * wt this close to a whole number count as whole (CSV round-off). */
const COUNT_TOLERANCE = 1e-8;

/**
 * y must be a proportion in [0, 1] with a whole number of successes
 * y * wt (wt being the trials), and the weights non-negative.
 */
export function binomialCheckResponse(y: Float64Array, wt: Float64Array): string | null {
  const n = y.length;
  let outside = 0;
  let badWeights = 0;
  let fractional = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    const wi = wt[i]!;
    if (!(yi >= 0 && yi <= 1)) outside++;
    else if (!(wi >= 0 && Number.isFinite(wi))) badWeights++;
    else {
      const successes = yi * wi;
      if (Math.abs(successes - Math.round(successes)) > COUNT_TOLERANCE * Math.max(1, successes)) fractional++;
    }
  }
  if (outside > 0) {
    return `values must be between 0 and 1 (0/1 or a cbind(successes, failures) count); ${outside} of ${n} rows are not`;
  }
  if (badWeights > 0) return `the number of trials must be a non-negative number; ${badWeights} of ${n} rows are not`;
  if (fractional > 0) {
    return `successes (proportion × trials) must be whole numbers; ${fractional} of ${n} rows are not`;
  }
  return null;
}
