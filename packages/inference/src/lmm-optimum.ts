import { bobyqa } from '@glmm/optimizer';
import { profiledDeviance, type LmmDeviance } from './lmm-deviance.js';

/** A linear mixed model's optimum under one criterion. */
export interface LmmOptimum {
  readonly reml: boolean;
  readonly theta: Float64Array;
  readonly sigma: number;
  readonly beta: Float64Array;
  /** (R_X'R_X)^{-1} at theta, column-major. */
  readonly fixedInverse: Float64Array;
  /** The criterion at the optimum: -2 log-likelihood (ML) or the REML criterion, including -log det W. */
  readonly deviance: number;
  readonly evaluations: number;
}

/**
 * The ML (or REML) optimum over theta from a start (the fit's theta), by
 * the same deviance: what lme4's refitML does before a likelihood-ratio
 * test or a profile of a REML fit.  Theta to 1e-8 puts the deviance within
 * rounding of its minimum.
 */
export function lmmOptimum(dev: LmmDeviance, start: Float64Array, reml: boolean): LmmOptimum {
  const n = dev.n;
  const p = dev.p;
  let evaluations = 0;
  const f = (theta: Float64Array): number => {
    evaluations++;
    const t = dev.terms(theta);
    return t ? profiledDeviance(t, n, p, reml) : Infinity;
  };
  let theta = Float64Array.from(start);
  if (theta.length > 0) {
    const step = theta.map((v) => Math.min(Math.max(0.1 * Math.abs(v), 0.02), 0.25));
    const result = bobyqa(f, theta, { lower: dev.lower, initialStep: step, maxEvaluations: 20000, ftolRel: 1e-14, xtolAbs: 1e-9 });
    theta = Float64Array.from(result.x);
  }
  const t = dev.terms(theta);
  if (!t) throw new Error('the mixed-model equations are not positive definite at the optimum');
  const df = reml ? n - p : n;
  return {
    reml,
    theta,
    sigma: Math.sqrt(t.pwrss / df),
    beta: t.beta,
    fixedInverse: t.fixedInverse,
    deviance: profiledDeviance(t, n, p, reml) - (dev.logDetWeights ?? 0),
    evaluations,
  };
}
