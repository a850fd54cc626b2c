import type { RandomSource } from '@glmm/core';
import { gammaVariate } from '@glmm/distributions';

/** Gamma with mean mu and variance phi mu^2 / wt: shape wt / phi, scale mu phi / wt (R's Gamma()$simulate with the fit's dispersion). */
export function gammaSimulate(mu: Float64Array, wt: Float64Array, dispersion: number, random: RandomSource, out: Float64Array): Float64Array {
  for (let i = 0; i < mu.length; i++) {
    const shape = wt[i]! / dispersion;
    out[i] = gammaVariate(shape, random) * (mu[i]! / shape);
  }
  return out;
}
