import type { RandomSource } from '@glmm/core';
import { gammaVariate, poissonVariate } from '@glmm/distributions';

/**
 * NB2 counts with mean mu and shape theta (Var = mu + mu^2 / theta) as the
 * gamma-Poisson mixture: lambda ~ Gamma(theta, scale mu / theta), y ~
 * Poisson(lambda); theta = Infinity is the Poisson limit.  Prior weights
 * do not change a count's distribution (MASS's negative.binomial()$simulate
 * ignores them too), and the family has no dispersion to scale.
 */
export function nbSimulate(mu: Float64Array, theta: number, random: RandomSource, out: Float64Array): Float64Array {
  const poisson = theta === Infinity;
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    out[i] = poisson ? poissonVariate(m, random) : m > 0 ? poissonVariate(gammaVariate(theta, random) * (m / theta), random) : 0;
  }
  return out;
}
