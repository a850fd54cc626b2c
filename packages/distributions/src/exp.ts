/**
 * exp(x) to within 2 ulp of Math.exp, about twice as fast in V8: Math.exp is
 * a call into C that the JIT cannot inline, and GLMM kernels take one per
 * row and Newton step.  Table-driven (Tang's method): x = (32k + j) ln2/32 + r
 * with |r| <= ln2/64, exp(x) = 2^k 2^(j/32) exp(r), exp(r) by its Taylor
 * polynomial of degree 6 (truncation error < 4e-18 relative).  Outside
 * (-708, 709), and for NaN, it defers to Math.exp, so subnormal results,
 * overflow and special values are exactly Math.exp's.
 */

const N = 32;
/** 2^(j/32), j = 0..31. */
const TABLE = Float64Array.from({ length: N }, (_, j) => 2 ** (j / N));
/** 2^e for e = -1100..1099, indexed by e + 1100: scaling by a table entry is one exact multiplication. */
const POW2 = Float64Array.from({ length: 2200 }, (_, i) => 2 ** (i - 1100));
const INV_LN2_N = N / Math.LN2;
// ln2/32 split so that k * LN2_HI is exact for every k this range produces (fdlibm's split, scaled by 1/32).
const LN2_HI = 6.93147180369123816490e-1 / N;
const LN2_LO = 1.90821492927058770002e-10 / N;
/** 1.5 * 2^52: adding and subtracting it rounds to the nearest integer. */
const ROUND = 6755399441055744;

export function fastExp(x: number): number {
  if (!(x > -708 && x < 709)) return Math.exp(x);
  const kf = x * INV_LN2_N + ROUND - ROUND;
  const r = x - kf * LN2_HI - kf * LN2_LO;
  const k = kf | 0;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  return TABLE[k & (N - 1)]! * p * POW2[(k >> 5) + 1100]!;
}
