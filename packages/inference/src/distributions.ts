import { qnorm, twoSidedPValue } from '@glmm/distributions';
import jStat from 'jstat';

/**
 * The reference distributions of the tests, from jstat.  Upper tails are
 * taken through the regularised incomplete beta function rather than as
 * 1 - cdf, so that p-values far below machine epsilon keep their digits.
 */

/** P(|T| > |t|) for Student's t with `df` degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`t distribution needs df > 0, got ${df}`);
  const t2 = t * t;
  if (!Number.isFinite(t2)) return 0;
  return clampProbability(jStat.ibeta(df / (df + t2), df / 2, 0.5));
}

/** P(F > f) for the F distribution with (df1, df2) degrees of freedom. */
export function fUpperP(f: number, df1: number, df2: number): number {
  if (!(df1 > 0 && df2 > 0)) throw new RangeError(`F distribution needs df1, df2 > 0, got ${df1}, ${df2}`);
  if (!(f > 0)) return 1;
  if (!Number.isFinite(f)) return 0;
  return clampProbability(jStat.ibeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2));
}

/** P(X > x) for the chi-square distribution with `df` degrees of freedom. */
export function chiSquareUpperP(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chi-square distribution needs df > 0, got ${df}`);
  if (!(x > 0)) return 1;
  // One degree of freedom is a squared normal: the normal tail keeps the small p-values.
  if (df === 1) return twoSidedPValue(Math.sqrt(x));
  return clampProbability(1 - jStat.chisquare.cdf(x, df));
}

/** The p-quantile of Student's t. */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`t distribution needs df > 0, got ${df}`);
  // jstat's inverse loses accuracy for huge df, where t is the normal to double precision.
  if (df > 1e7) return qnorm(p);
  return jStat.studentt.inv(p, df);
}

export { qnorm as normalQuantile, twoSidedPValue as normalTwoSidedP };

function clampProbability(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
