/*
 * digamma psi(x) = d log Gamma(x) / dx and trigamma psi'(x) for x > 0: the
 * argument is shifted past 20 by the recurrences psi(x) = psi(x + 1) - 1/x and
 * psi'(x) = psi'(x + 1) + 1/x^2, then the asymptotic (Bernoulli) series is
 * summed, whose first omitted term there is below 1e-16 relative.
 */

const SHIFT = 20;

/** psi(x) for x > 0 (NaN otherwise; -Infinity at 0 as the limit from the right). */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  // 1/x dominates near 0: added last, so the smaller shifts are not rounded against it.
  const lead = x < 1 ? 1 / x : 0;
  if (x < 1) x += 1;
  let shift = 0;
  while (x < SHIFT) {
    shift += 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  // 1/(12x^2) - 1/(120x^4) + 1/(252x^6) - 1/(240x^8) + 1/(132x^10)
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
  return Math.log(x) - 0.5 / x - series - shift - lead;
}

/** psi'(x) for x > 0 (NaN otherwise; +Infinity at 0). */
export function trigamma(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return 0;
  const lead = x < 1 ? 1 / (x * x) : 0;
  if (x < 1) x += 1;
  let shift = 0;
  while (x < SHIFT) {
    shift += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5) + 1/(42x^7) - 1/(30x^9) + 5/(66x^11)
  const series = inv + 0.5 * inv2 + inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - (5 / 66) * inv2))));
  return series + shift + lead;
}
