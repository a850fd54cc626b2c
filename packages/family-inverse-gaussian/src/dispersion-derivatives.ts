import type { ParameterDerivatives } from '@glmm/core';

/**
 * The inverse Gaussian's derivatives in log(phi) at fixed mu
 * (FamilyParameter.derivativesInLog): -2 log f = wt (log(2 pi phi y^3) + d/phi)
 * with d = (y - mu)^2 / (y mu^2) the unit deviance, so its derivative is
 * wt (1 - d/phi); V = phi mu^3 and dV/dmu are proportional to phi, so their
 * derivatives are themselves.
 */
export function igDispersionDerivatives(phi: number, y: Float64Array, mu: Float64Array, wt: Float64Array, out: ParameterDerivatives): void {
  const { minusTwoLogLik: a, variance: v, varianceDerivative: dv } = out;
  for (let i = 0; i < y.length; i++) {
    const m = mu[i]!;
    const w = wt[i]!;
    const r = (y[i]! - m) / m;
    a[i] = w === 0 ? 0 : w * (1 - (r * r) / (y[i]! * phi));
    v[i] = phi * m * m * m;
    dv[i] = 3 * phi * m * m;
  }
}
