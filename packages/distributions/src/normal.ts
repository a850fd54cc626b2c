import { DBL_EPSILON, M_1_SQRT_2PI } from './constants.js';

/*
 * Standard normal density, distribution and quantile functions, accurate to
 * a few ulps in both tails: the probit link's IRLS weights are ratios of tail
 * probabilities, and Wald p-values far in the tail (z = 16 gives p ~ 1e-60)
 * are reported to full relative precision.  The distribution function uses
 * W. J. Cody's rational Chebyshev approximations (Math. Comp. 1969; the same
 * published coefficients R's pnorm uses), evaluated for the lower and the
 * upper tail separately so that neither is computed as 1 - (the other).
 */

const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
  1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

const SQRT32 = 5.656854249492380195206754896838;
/** Beyond this |x| the smaller tail underflows to 0 and the larger is 1. */
const TAIL_LIMIT = 38.5;

/**
 * exp(-y^2/2) without the rounding error of squaring a large y: y is split
 * into a part with 4 fractional bits, whose square is exact, and the rest.
 */
function gaussianKernel(y: number): number {
  const y16 = Math.trunc(y * 16) / 16;
  const del = (y - y16) * (y + y16);
  return Math.exp(-y16 * y16 * 0.5) * Math.exp(-del * 0.5);
}

/** P(Z <= x) when `lowerTail`, otherwise P(Z > x). */
export function pnorm(x: number, lowerTail = true): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  let small: number; // the tail on the far side of 0 from x: P(Z > |x|)
  if (y <= 0.67448975) {
    // Central region: both tails are near 1/2, no cancellation either way.
    let t = 0;
    if (y > DBL_EPSILON * 0.5) {
      const xsq = x * x;
      let num = A[4]! * xsq;
      let den = xsq;
      for (let i = 0; i < 3; i++) {
        num = (num + A[i]!) * xsq;
        den = (den + B[i]!) * xsq;
      }
      t = (x * (num + A[3]!)) / (den + B[3]!);
    }
    return lowerTail ? 0.5 + t : 0.5 - t;
  } else if (y <= SQRT32) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    small = (gaussianKernel(y) * (num + C[7]!)) / (den + D[7]!);
  } else if (y < TAIL_LIMIT) {
    const xsq = 1 / (x * x);
    let num = P[5]! * xsq;
    let den = xsq;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * xsq;
      den = (den + Q[i]!) * xsq;
    }
    const r = (xsq * (num + P[4]!)) / (den + Q[4]!);
    small = (gaussianKernel(y) * (M_1_SQRT_2PI - r)) / y;
  } else {
    small = 0;
  }
  // `small` is the tail away from x's side of the mean.
  const wantSmall = x > 0 ? !lowerTail : lowerTail;
  return wantSmall ? small : 1 - small;
}

/** Standard normal density; the kernel split keeps relative accuracy out to the underflow limit. */
export function dnorm(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y < 5) return M_1_SQRT_2PI * Math.exp(-0.5 * y * y);
  if (y > 38.6) return 0;
  const y1 = Math.round(y * 65536) / 65536;
  const y2 = y - y1;
  return M_1_SQRT_2PI * (Math.exp(-0.5 * y1 * y1) * Math.exp((-0.5 * y2 - y1) * y2));
}

/**
 * Lower-tail quantile.  A rational starting value (Abramowitz & Stegun
 * 26.2.23, error below 4.5e-4) is polished with Halley steps on the
 * tail-accurate pnorm, which converge cubically to full double precision.
 * For p > 1/2 the upper tail 1 - p is exact in floating point, so the
 * symmetric quantile loses nothing.
 */
export function qnorm(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -lowerQuantile(1 - p);
  return lowerQuantile(p);
}

/** Quantile for 0 < p < 1/2, which is negative. */
function lowerQuantile(p: number): number {
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let iter = 0; iter < 8; iter++) {
    const density = dnorm(x);
    if (density === 0) break;
    const u = (pnorm(x) - p) / density;
    const step = u / (1 + 0.5 * x * u);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return x;
}

/** Upper tail P(Z > z), never computed as 1 - P(Z <= z). */
export function normalUpperTail(z: number): number {
  return pnorm(z, false);
}

/** Two-sided p-value of a z statistic: 2 P(Z > |z|). */
export function twoSidedPValue(z: number): number {
  return 2 * pnorm(Math.abs(z), false);
}
