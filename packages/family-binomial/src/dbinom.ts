import { dbinomRawLog, isNonInteger, roundHalfEven } from './loader.js';

/** R's dbinom(x, size, prob, log = TRUE): -Inf for impossible or non-integer x, NaN for invalid arguments. */
export function dbinomLog(x: number, size: number, prob: number): number {
  if (Number.isNaN(x) || Number.isNaN(size) || Number.isNaN(prob)) return NaN;
  if (prob < 0 || prob > 1 || size < 0 || isNonInteger(size)) return NaN;
  if (isNonInteger(x) || x < 0 || !Number.isFinite(x)) return -Infinity;
  return dbinomRawLog(roundHalfEven(x), roundHalfEven(size), prob, 1 - prob);
}
