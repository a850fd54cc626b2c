import { bd0 } from './bd0.js';
import { M_LN_2PI } from './constants.js';
import { isNonInteger, roundHalfEven } from './integer-rounding.js';
import { dpoisRawLog } from './poisson-density.js';
import { stirlerr } from './stirlerr.js';

/**
 * log of the NB2 probability of a count x with mean mu and shape (size)
 * theta: Gamma(x + theta) / (Gamma(theta) x!) p^theta (1 - p)^x with
 * p = theta / (theta + mu), so Var = mu + mu^2 / theta.
 *
 * Written, as in Loader's saddle-point method, as the binomial-type density
 * theta / (theta + x) * b(theta; theta + x, p) with non-integer size: Stirling
 * error terms plus bd0 deviances,
 *
 *   stirlerr(x + theta) - stirlerr(theta) - stirlerr(x)
 *     - bd0(theta, (x + theta) p) - bd0(x, (x + theta)(1 - p))
 *     - log(2 pi x theta / (x + theta)) / 2 + log(theta / (theta + x)),
 *
 * which has no cancellation between lgamma terms of size x log x or theta
 * log theta: it stays accurate for a shape of 1e15, where the lgamma form
 * loses every digit, and tends to the Poisson density as theta grows (each
 * term tends to its Poisson counterpart; theta = Infinity is Poisson).
 * The x theta / (x + theta) factor is formed directly, not as
 * theta (1 - theta / (x + theta)), so a count far below the shape loses nothing.
 */
export function dnbinomRawLog(x: number, theta: number, mu: number): number {
  if (mu === 0) return x === 0 ? 0 : -Infinity;
  if (theta === Infinity) return dpoisRawLog(x, mu);
  // log p^theta: log1p keeps a large shape (p near 1) exact, log the ratio a small one.
  if (x === 0) return theta < mu ? theta * Math.log(theta / (theta + mu)) : -theta * Math.log1p(mu / theta);
  const n = x + theta;
  const p = theta / (theta + mu);
  const q = mu / (theta + mu);
  const lc = stirlerr(n) - stirlerr(theta) - stirlerr(x) - bd0(theta, n * p) - bd0(x, n * q);
  return lc - 0.5 * (M_LN_2PI + Math.log(x) + Math.log(theta / n)) - Math.log1p(x / theta);
}

/**
 * R's dnbinom(x, size = theta, mu = mu, log = TRUE): -Inf for a negative or
 * non-integer x, NaN for invalid parameters; theta = Infinity is Poisson.
 */
export function dnbinomLog(x: number, theta: number, mu: number): number {
  if (Number.isNaN(x) || Number.isNaN(theta) || Number.isNaN(mu)) return NaN;
  if (mu < 0 || !(theta > 0) || mu === Infinity) return NaN;
  if (isNonInteger(x) || x < 0 || !Number.isFinite(x)) return -Infinity;
  return dnbinomRawLog(roundHalfEven(x), theta, mu);
}
