import type { RandomSource } from '@glmm/core';
import { poissonVariate } from '@glmm/distributions';

/** Counts with mean mu (prior weights do not change a Poisson variate; R's poisson()$simulate ignores them too). */
export function poissonSimulate(mu: Float64Array, wt: Float64Array, dispersion: number, random: RandomSource, out: Float64Array): Float64Array {
  for (let i = 0; i < mu.length; i++) out[i] = poissonVariate(mu[i]!, random);
  return out;
}
