import { dpoisRawLog, isNonInteger, roundHalfEven } from './loader.js';

/** R's dpois(x, lambda, log = TRUE): -Inf for a negative or non-integer x, NaN for lambda < 0. */
export function dpoisLog(x: number, lambda: number): number {
  if (Number.isNaN(x) || Number.isNaN(lambda) || lambda < 0) return NaN;
  if (isNonInteger(x) || x < 0 || !Number.isFinite(x)) return -Infinity;
  return dpoisRawLog(roundHalfEven(x), lambda);
}
