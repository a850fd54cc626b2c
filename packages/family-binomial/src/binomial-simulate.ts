import { GlmmInputError, type RandomSource } from '@glmm/core';
import { binomialVariate } from '@glmm/distributions';

/**
 * Proportions of successes in wt trials with success probability mu, as
 * the model's y reads them (R's binomial()$simulate divides by the trials
 * too).  The number of trials must be whole: a non-integer weight has no
 * binomial distribution to draw from.
 */
export function binomialSimulate(mu: Float64Array, wt: Float64Array, dispersion: number, random: RandomSource, out: Float64Array): Float64Array {
  for (let i = 0; i < mu.length; i++) {
    const trials = Math.round(wt[i]!);
    if (!(Math.abs(wt[i]! - trials) <= 1e-8 * Math.max(1, trials)) || trials < 0)
      throw new GlmmInputError(`cannot simulate a binomial response with ${wt[i]} trials at row ${i + 1}: the number of trials (weights) must be a whole number`);
    out[i] = trials > 0 ? binomialVariate(trials, mu[i]!, random) / trials : 0;
  }
  return out;
}
