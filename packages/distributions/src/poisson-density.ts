import { bd0 } from './bd0.js';
import { DBL_MIN } from './constants.js';
import { isNonInteger, roundHalfEven } from './integer-rounding.js';
import { lgamma } from './lgamma.js';
import { stirlerr } from './stirlerr.js';

/*
 * Catherine Loader's saddle-point evaluation ("Fast and accurate computation
 * of binomial probabilities", 2000), the algorithm behind R's dpois and
 * dgamma: writing the log density as Stirling's error terms plus a bd0
 * deviance avoids the cancellation of lgamma(x + 1) against x log(lambda)
 * for large counts.
 */

/** log of the Poisson density at x (not necessarily an integer, as dgamma needs), R's dpois_raw. */
export function dpoisRawLog(x: number, lambda: number): number {
  if (lambda === 0) return x === 0 ? 0 : -Infinity;
  if (!Number.isFinite(lambda) || x < 0) return -Infinity;
  if (x <= lambda * DBL_MIN) return -lambda;
  if (lambda < x * DBL_MIN) return -lambda + x * Math.log(lambda) - lgamma(x + 1);
  return -0.5 * Math.log(2 * Math.PI * x) - stirlerr(x) - bd0(x, lambda);
}

/** R's dpois(x, lambda, log = TRUE): -Inf for a negative or non-integer x, NaN for lambda < 0. */
export function dpoisLog(x: number, lambda: number): number {
  if (Number.isNaN(x) || Number.isNaN(lambda) || lambda < 0) return NaN;
  if (isNonInteger(x) || x < 0 || !Number.isFinite(x)) return -Infinity;
  return dpoisRawLog(roundHalfEven(x), lambda);
}
