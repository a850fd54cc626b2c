import { bd0 } from './bd0.js';
import { M_LN_2PI } from './constants.js';
import { isNonInteger, roundHalfEven } from './integer-rounding.js';
import { stirlerr } from './stirlerr.js';

/*
 * Catherine Loader's saddle-point evaluation ("Fast and accurate computation
 * of binomial probabilities", 2000), the algorithm behind R's dbinom: the log
 * probability as Stirling's error terms plus bd0 deviances avoids the
 * cancellation of lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1) for
 * large counts.
 */

/** log of the binomial probability of x successes in n trials, success probability p = 1 - q; R's dbinom_raw. */
export function dbinomRawLog(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (q === 0) return x === n ? 0 : -Infinity;
  if (x === 0) {
    if (n === 0) return 0;
    return p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q);
  }
  if (x === n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p);
  if (x < 0 || x > n) return -Infinity;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = M_LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return lc - 0.5 * lf;
}

/** R's dbinom(x, size, prob, log = TRUE): -Inf for impossible or non-integer x, NaN for invalid arguments. */
export function dbinomLog(x: number, size: number, prob: number): number {
  if (Number.isNaN(x) || Number.isNaN(size) || Number.isNaN(prob)) return NaN;
  if (prob < 0 || prob > 1 || size < 0 || isNonInteger(size)) return NaN;
  if (isNonInteger(x) || x < 0 || !Number.isFinite(x)) return -Infinity;
  return dbinomRawLog(roundHalfEven(x), roundHalfEven(size), prob, 1 - prob);
}
