import type { RandomSource } from '@glmm/core';

/** y = mu + sqrt(phi / wt) z, R's gaussian()$simulate with prior weights. */
export function gaussianSimulate(mu: Float64Array, wt: Float64Array, dispersion: number, random: RandomSource, out: Float64Array): Float64Array {
  for (let i = 0; i < mu.length; i++) out[i] = mu[i]! + Math.sqrt(dispersion / wt[i]!) * random.normal();
  return out;
}
