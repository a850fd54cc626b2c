/*
 * Catherine Loader's saddle-point evaluation of binomial and Poisson
 * probabilities ("Fast and accurate computation of binomial probabilities",
 * 2000), the algorithm behind R's dbinom, dpois and dgamma.  Writing the log
 * density as Stirling's error terms plus bd0 deviances avoids the
 * cancellation of lgamma(n + 1) - lgamma(x + 1) - ... for large counts.
 *
 * Kept identical in family-binomial, family-poisson and family-gamma, since
 * families depend on @glmm/core only.
 */

const LN_SQRT_2PI = 0.918938533204672741780329736406;
const LN_2PI = 1.837877066409345483560659472811;
const DBL_MIN = 2.2250738585072014e-308;

/** stirlerr(n/2) for n = 0..30, exact to double precision (computed with 40-digit arithmetic). */
const STIRLERR_HALVES = [
  0, 0.15342640972002734529, 0.08106146679532725822, 0.054814121051917653896, 0.041340695955409294094,
  0.033162873519936287485, 0.027677925684998339149, 0.023746163656297495971, 0.020790672103765093112,
  0.018488450532673185231, 0.016644691189821192163, 0.015134973221917378874, 0.013876128823070747999,
  0.012810465242920226924, 0.011896709945891770095, 0.011104559758206917327, 0.010411265261972096497,
  0.0097994161261588032984, 0.0092554621827127329177, 0.008768700134139385463, 0.0083305634333628712565,
  0.0079341145643140205472, 0.007573675487951840795, 0.0072445543013203831795, 0.0069428401072095298657,
  0.0066652470327076824424, 0.0064089941880042070684, 0.0061717122630394576475, 0.0059513701127588477356,
  0.005746216513010115682, 0.005554733551962801371,
];

const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;

/** The asymptotic series of stirlerr, accurate to double precision for n > 15. */
function stirlerrSeries(n: number): number {
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

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
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlerrSeries(x) - Math.log(product);
}

/** stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n), as R's stirlerr (R 4.2). */
export function stirlerr(n: number): number {
  if (n <= 15) {
    const nn = n + n;
    if (nn === Math.floor(nn)) return STIRLERR_HALVES[nn]!;
    return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  }
  return stirlerrSeries(n);
}

/** bd0(x, np) = x log(x/np) + np - x, by a series when x is close to np (where the closed form cancels). */
export function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    if (Math.abs(s) < DBL_MIN) return s;
    let ej = 2 * x * v;
    v = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / np) + np - x;
}

/** log of the Poisson density at x (not necessarily an integer, as dgamma needs), R's dpois_raw. */
export function dpoisRawLog(x: number, lambda: number): number {
  if (lambda === 0) return x === 0 ? 0 : -Infinity;
  if (!Number.isFinite(lambda) || x < 0) return -Infinity;
  if (x <= lambda * DBL_MIN) return -lambda;
  if (lambda < x * DBL_MIN) return -lambda + x * Math.log(lambda) - lgamma(x + 1);
  return -0.5 * Math.log(2 * Math.PI * x) - stirlerr(x) - bd0(x, lambda);
}

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
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return lc - 0.5 * lf;
}

/** R's test for a value that should be an integer (R_nonint): off by more than 1e-7 relative. */
export function isNonInteger(x: number): boolean {
  return Math.abs(x - roundHalfEven(x)) > 1e-7 * Math.max(1, Math.abs(x));
}

/** Rounding as R's round() and R_forceint (IEC 60559: halves go to the even neighbour). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
