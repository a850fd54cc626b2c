import type { ParameterDerivatives } from '@glmm/core';
import { digamma } from '@glmm/distributions';

/** Counts up to this size sum psi(y + theta) - psi(theta) as 1/theta + ... + 1/(theta + y - 1): exact where digamma's difference cancels. */
const DIRECT_SUM_LIMIT = 64;

/** psi(y + theta) - psi(theta). */
function digammaDifference(y: number, theta: number): number {
  if (y <= DIRECT_SUM_LIMIT && Number.isInteger(y)) {
    let s = 0;
    for (let k = 0; k < y; k++) s += 1 / (theta + k);
    return s;
  }
  return digamma(y + theta) - digamma(theta);
}

/**
 * The NB2 family's derivatives in log(theta) at fixed mu (FamilyParameter.derivativesInLog):
 *  - -2 wt theta d log f / d theta, with
 *    d log f / d theta = psi(y + theta) - psi(theta) - log(1 + mu/theta) + (mu - y)/(mu + theta);
 *  - V = mu + mu^2/theta: dV/dlog theta = -mu^2/theta, d(dV/dmu)/dlog theta = -2 mu/theta.
 * At theta = Infinity (the Poisson limit) all are 0.
 */
export function nbShapeDerivatives(theta: number, y: Float64Array, mu: Float64Array, wt: Float64Array, out: ParameterDerivatives): void {
  const { minusTwoLogLik: a, variance: v, varianceDerivative: dv } = out;
  const finite = Number.isFinite(theta);
  for (let i = 0; i < y.length; i++) {
    const m = mu[i]!;
    const w = wt[i]!;
    if (!finite) {
      a[i] = 0;
      v[i] = 0;
      dv[i] = 0;
      continue;
    }
    const yi = y[i]!;
    const score = digammaDifference(yi, theta) - Math.log1p(m / theta) + (m - yi) / (m + theta);
    a[i] = w === 0 ? 0 : -2 * w * theta * score;
    v[i] = -m * (m / theta);
    dv[i] = (-2 * m) / theta;
  }
}
