import type { RandomSource } from '@glmm/core';

/**
 * Inverse Gaussian draws with mean mu and variance phi mu^3 / wt (shape
 * lambda = wt / phi), by Michael, Schucany and Haas (Am. Stat. 30, 1976):
 * with w = mu chi^2_1 / lambda, the smaller root of the transformed
 * quadratic, x = mu / (1 + w/2 + sqrt(w (1 + w/4))) (that form, not
 * mu (1 + w/2 - sqrt(...)), keeps its digits when w is large), is taken
 * with probability mu / (mu + x), otherwise the larger root mu^2 / x.
 * One normal and one uniform per draw.
 */
export function igSimulate(mu: Float64Array, wt: Float64Array, phi: number, random: RandomSource, out: Float64Array): Float64Array {
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    const z = random.normal();
    const w = (m * z * z * phi) / wt[i]!;
    const x = m / (1 + w / 2 + Math.sqrt(w * (1 + w / 4)));
    out[i] = random.uniform() <= m / (m + x) ? x : (m * m) / x;
  }
  return out;
}
