import { M_LN_SQRT_2PI } from './constants.js';
import { stirlerrSeries } from './stirling-series.js';

/**
 * log Gamma(x) for x > 0: shifted up past 15, where Stirling's series with
 * the stirlerr correction is exact to double precision, and shifted back by
 * the log of the product of the skipped factors.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return Infinity;
  let product = 1;
  while (x < 15) {
    product *= x;
    x += 1;
  }
  return (x - 0.5) * Math.log(x) - x + M_LN_SQRT_2PI + stirlerrSeries(x) - Math.log(product);
}
