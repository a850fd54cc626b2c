import { GlmmInputError, type Estimator, type FitProblem, type RawFit } from '@glmm/core';
import { RandomEffectsStructure } from '@glmm/engine';
import { gaussHermite, GlmResponse, LaplaceObjective } from '@glmm/estimator-laplace';
import { LmmObjective, remlEstimator } from '@glmm/estimator-reml';

/**
 * The one place where the model object and the inference functions reach
 * into the estimators.  Today the estimator packages offer a plugin API
 * (`Estimator.fit`) and some internals (LmmObjective, LaplaceObjective);
 * the staged deviance contract of issue #13 will replace them with an
 * exported deviance object and a warm-start option.  Everything outside
 * this file uses only the small interfaces below, so that change touches
 * this file alone.
 */

/** Where a refit may start: the previous optimum. */
export interface WarmStart {
  readonly theta: Float64Array;
  readonly beta: Float64Array;
}

/** The pieces of the profiled LMM deviance at one theta (lme4's devfun environment after a call). */
export interface LmmDevianceTerms {
  /** beta-hat at theta. */
  readonly beta: Float64Array;
  /** Spherical random effects u-hat at theta. */
  readonly u: Float64Array;
  /** Penalised weighted residual sum of squares |W^(1/2)(y - X beta - Z Lambda u)|^2 + |u|^2. */
  readonly pwrss: number;
  /** log det(Lambda'Z'WZ Lambda + I). */
  readonly ldL2: number;
  /** log det(R_X'R_X). */
  readonly ldRX2: number;
  /** (R_X'R_X)^{-1}, column-major p x p: vcov(beta) is sigma^2 times it. */
  readonly fixedInverse: Float64Array;
}

/**
 * The deviance of a linear mixed model as a function of its covariance
 * parameters, for Satterthwaite degrees of freedom, profile intervals and
 * likelihood-ratio tests.  theta is lme4's relative covariance factor
 * parameter (Lambda(theta)), sigma the residual SD.
 */
export interface LmmDevianceFunction {
  readonly reml: boolean;
  /** Rows used, fixed effects, covariance parameters. */
  readonly n: number;
  readonly p: number;
  readonly nTheta: number;
  /** Lower bounds of theta (0 for diagonal entries of Lambda, -Infinity otherwise). */
  readonly lower: Float64Array;
  /** REML criterion (reml) or -2 log-likelihood with beta and sigma profiled out; Infinity where the system is not positive definite. */
  profiled(theta: Float64Array): number;
  /** The deviance at (theta, sigma) with beta profiled out (lmerTest's devfun_vp); equals `profiled` at sigma-hat(theta). */
  atSigma(theta: Float64Array, sigma: number): number;
  /** sigma-hat at theta: sqrt(pwrss / (n - p)) for REML, sqrt(pwrss / n) for ML. */
  sigmaAt(theta: Float64Array): number;
  /** The solution and determinants at theta; null where the system is not positive definite. */
  terms(theta: Float64Array): LmmDevianceTerms | null;
  /** vcov(beta) = sigma^2 (R_X'R_X)^{-1} at theta, column-major p x p. */
  vcovBeta(theta: Float64Array, sigma: number): Float64Array;
}

/**
 * The Laplace (nAGQ = 1) or adaptive Gauss-Hermite deviance of a GLMM at
 * given (theta, beta), with the conditional modes found by PIRLS: the
 * objective glmer minimises (its devfun at stage 2).
 */
export interface GlmmDevianceFunction {
  readonly nAGQ: number;
  readonly p: number;
  readonly nTheta: number;
  readonly lower: Float64Array;
  /** -2 log-likelihood (Laplace or AGQ) at (theta, beta); Infinity where PIRLS fails. */
  deviance(theta: Float64Array, beta: Float64Array): number;
}

/** Whether the problem is a linear mixed model that the REML/ML deviance applies to; null when it is, otherwise the reason. */
export function lmmReason(problem: FitProblem): string | null {
  return remlEstimator.supports(problem.family, problem.model, problem.options);
}

/**
 * Fits the problem with the estimator plugin.  `start` is accepted now so
 * that callers are written once; the estimators do not take a starting
 * point yet, so the fit is a cold start until the deviance contract lands.
 */
export function fitProblem(estimator: Estimator, problem: FitProblem, start?: WarmStart): RawFit {
  void start;
  return estimator.fit(problem);
}

/** The LMM deviance of the problem (Gaussian family, identity link); throws GlmmInputError otherwise. */
export function lmmDeviance(problem: FitProblem, reml: boolean): LmmDevianceFunction {
  const reason = lmmReason(problem);
  if (reason) throw new GlmmInputError(`the linear mixed-model deviance does not apply: ${reason}`);
  const re = new RandomEffectsStructure(problem.model, problem.covariances);
  const objective = new LmmObjective(re, reml);
  const model = problem.model;
  const n = model.n;
  const p = model.p;
  let ldW = 0;
  for (let i = 0; i < n; i++) ldW += Math.log(model.weights[i]!);
  const terms = (theta: Float64Array): LmmDevianceTerms | null => {
    const optimum = objective.optimum(Float64Array.from(theta));
    if (!optimum) return null;
    const { beta, u, pwrss, ldL2, ldRX2 } = optimum.solution;
    return { beta, u, pwrss, ldL2, ldRX2, fixedInverse: optimum.fixedInverse };
  };
  const sigmaAt = (theta: Float64Array): number => {
    const t = terms(theta);
    return t ? Math.sqrt(t.pwrss / (reml ? n - p : n)) : Number.NaN;
  };
  return {
    reml,
    n,
    p,
    nTheta: re.nTheta,
    lower: Float64Array.from(re.lower),
    profiled: (theta) => objective.deviance(Float64Array.from(theta)),
    atSigma(theta, sigma) {
      const t = terms(theta);
      if (!t) return Infinity;
      const s2 = sigma * sigma;
      const ml = t.ldL2 - ldW + t.pwrss / s2 + n * Math.log(2 * Math.PI * s2);
      return reml ? ml + t.ldRX2 - p * Math.log(2 * Math.PI * s2) : ml;
    },
    sigmaAt,
    terms,
    vcovBeta(theta, sigma) {
      const t = terms(theta);
      if (!t) throw new Error('the mixed-model equations are not positive definite at this theta');
      const s2 = sigma * sigma;
      return t.fixedInverse.map((v) => v * s2);
    },
  };
}

/** The Laplace or AGQ deviance of a GLMM problem at given parameters. */
export function glmmDeviance(problem: FitProblem, nAGQ: number): GlmmDevianceFunction {
  const re = new RandomEffectsStructure(problem.model, problem.covariances);
  const response = new GlmResponse(problem.model, problem.family, problem.link);
  const objective = new LaplaceObjective(re, response, problem.options.maxIterations, nAGQ > 1 ? gaussHermite(nAGQ) : null);
  return {
    nAGQ,
    p: problem.model.p,
    nTheta: re.nTheta,
    lower: Float64Array.from(re.lower),
    deviance: (theta, beta) => objective.deviance(Float64Array.from(theta), Float64Array.from(beta)),
  };
}
