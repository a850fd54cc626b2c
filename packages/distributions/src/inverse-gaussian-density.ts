import { M_LN_2PI } from './constants.js';

/**
 * log density of the inverse Gaussian with mean mu and dispersion phi
 * (Var = phi mu^3; statmod's dinvgauss(x, mean = mu, dispersion = phi)):
 *
 *   -(log(2 pi phi) + 3 log x) / 2 - (x - mu)^2 / (2 phi mu^2 x).
 *
 * The square is formed as ((x - mu) / mu)^2 / x, which stays finite for a
 * mean near the largest double (mu^2 would overflow); mu = Infinity is the
 * Levy limit, whose density at x is the same formula with (x - mu)/mu = -1.
 */
export function dinvgaussLog(x: number, mu: number, phi: number): number {
  if (Number.isNaN(x) || Number.isNaN(mu) || Number.isNaN(phi)) return NaN;
  if (!(mu > 0) || !(phi > 0)) return NaN;
  if (!(x > 0)) return -Infinity;
  if (x === Infinity) return -Infinity;
  const r = mu === Infinity ? -1 : (x - mu) / mu;
  return -0.5 * (M_LN_2PI + Math.log(phi) + 3 * Math.log(x)) - (r * r) / (2 * phi * x);
}
