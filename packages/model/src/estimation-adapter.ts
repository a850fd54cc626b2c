import {
  GlmmInputError,
  isLinearMixedModel,
  lmmDevianceAtSigma,
  type DevianceState,
  type Estimator,
  type FitProblem,
  type LmmDeviancePieces,
  type ModelDeviance,
  type RawFit,
} from '@glmm/core';

/**
 * The one place where the model object and the inference functions reach
 * into estimation, through the staged estimator contract of @glmm/core
 * only: `Estimator.fit` with a warm start (`FitOptions.start`) and
 * `Estimator.deviance` (a ModelDeviance: `value(x)`, `evaluate(x)` with an
 * LMM's deviance pieces, `lmmDevianceAtSigma`).  The estimator is always the
 * model's own plugin, so no estimator package is imported and a model
 * fitted by a third-party estimator gets the same methods.  Everything
 * outside this file uses only the small interfaces below.
 */

/** Where a refit may start: the previous optimum. */
export interface WarmStart {
  readonly theta: Float64Array;
  readonly beta: Float64Array;
  /** The family parameter estimated by ML (natural scale), when the model has one. */
  readonly parameter?: number | null;
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
  /** log det W of the prior weights (0 without weights): the deviance's constant. */
  readonly logDetWeights: number;
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
 * objective glmer minimises (its devfun at stage 2), with a family
 * parameter estimated by ML held at the model's estimate.
 */
export interface GlmmDevianceFunction {
  readonly p: number;
  readonly nTheta: number;
  readonly lower: Float64Array;
  /** -2 log-likelihood (Laplace or AGQ) at (theta, beta); Infinity where PIRLS fails. */
  deviance(theta: Float64Array, beta: Float64Array): number;
}

/** Whether the problem is a linear mixed model that the REML/ML deviance applies to; null when it is, otherwise the reason. */
export function lmmReason(problem: FitProblem): string | null {
  if (problem.model.terms.length === 0) return 'the model has no random-effects term';
  if (isLinearMixedModel(problem.family, problem.link)) return null;
  return `a ${problem.family.name} response with the ${problem.link.name} link is not a linear mixed model (a normal response with constant variance and its canonical link)`;
}

/** Fits the problem with the estimator plugin, from `start` when given (a refit starts at the previous optimum). */
export function fitProblem(estimator: Estimator, problem: FitProblem, start?: WarmStart): RawFit {
  if (!start) return estimator.fit(problem);
  const { theta, beta, parameter } = start;
  const fitStart = { theta, beta, ...(parameter !== undefined && parameter !== null ? { parameter } : {}) };
  return estimator.fit({ ...problem, options: { ...problem.options, start: fitStart } });
}

/** The estimator's deviance of the problem (the first stage of its fit); a GlmmInputError when it offers none. */
export function modelDeviance(estimator: Estimator, problem: FitProblem, purpose: string): ModelDeviance {
  if (!estimator.deviance)
    throw new GlmmInputError(`method "${estimator.name}" has no deviance function (a pseudo-likelihood fit has no likelihood), which ${purpose} needs`);
  return estimator.deviance(problem);
}

/**
 * The profiled LMM deviance of the problem from its estimator's deviance
 * object (REML or ML): the pieces at theta do not depend on the criterion,
 * so either estimator gives both, `reml` choosing the one reported.
 * Throws GlmmInputError for a model that is not an LMM.
 */
export function lmmDeviance(problem: FitProblem, estimator: Estimator, reml: boolean): LmmDevianceFunction {
  const reason = lmmReason(problem);
  if (reason) throw new GlmmInputError(`the linear mixed-model deviance does not apply: ${reason}`);
  const deviance = modelDeviance(estimator, problem, 'the linear mixed-model deviance');
  const { layout } = deviance;
  if (layout.nBeta !== 0 || layout.nFamily !== 0)
    throw new GlmmInputError(`method "${estimator.name}" does not profile the fixed effects out of its deviance, so it gives no REML/ML deviance of theta`);
  const { n, p } = problem.model;
  const dof = reml ? n - p : n;
  const pieces = (theta: Float64Array): { state: DevianceState; pieces: LmmDeviancePieces } | null => {
    const state = deviance.evaluate(Float64Array.from(theta));
    if (!state?.lmm) return null;
    return { state, pieces: { ...state.lmm, reml } };
  };
  const sigmaOf = (pwrss: number): number => Math.sqrt(pwrss / dof);
  let ldW = 0;
  const w = problem.model.weights;
  for (let i = 0; i < w.length; i++) ldW += Math.log(w[i]!);
  return {
    reml,
    n,
    p,
    nTheta: layout.nTheta,
    lower: Float64Array.from(layout.lower),
    logDetWeights: ldW,
    profiled(theta) {
      const at = pieces(theta);
      return at ? lmmDevianceAtSigma(at.pieces, sigmaOf(at.pieces.pwrss)) : Infinity;
    },
    atSigma(theta, sigma) {
      const at = pieces(theta);
      return at ? lmmDevianceAtSigma(at.pieces, sigma) : Infinity;
    },
    sigmaAt(theta) {
      const at = pieces(theta);
      return at ? sigmaOf(at.pieces.pwrss) : Number.NaN;
    },
    terms(theta) {
      const at = pieces(theta);
      if (!at) return null;
      const { state, pieces: lmm } = at;
      return { beta: state.beta, u: state.u, pwrss: lmm.pwrss, ldL2: lmm.ldL2, ldRX2: lmm.ldRX2, fixedInverse: state.unscaledVcovBeta };
    },
    vcovBeta(theta, sigma) {
      const at = pieces(theta);
      if (!at) throw new GlmmInputError('the mixed-model equations are not positive definite at this theta');
      const s2 = sigma * sigma;
      return at.state.unscaledVcovBeta.map((v) => v * s2);
    },
  };
}

/**
 * The Laplace or AGQ deviance of a GLMM problem at given (theta, beta), from
 * its estimator's deviance object: x = (theta, beta[, log family
 * parameter]), the family parameter (a negative binomial shape, an ML
 * dispersion) held at `familyParameter`, the model's estimate.
 */
export function glmmDeviance(problem: FitProblem, estimator: Estimator, familyParameter: number | null = null): GlmmDevianceFunction {
  const deviance = modelDeviance(estimator, problem, "the GLMM deviance (Wald intervals of the covariance parameters)");
  const { nTheta, nBeta, nFamily } = deviance.layout;
  const p = problem.model.p;
  if (nBeta !== p) throw new GlmmInputError(`method "${estimator.name}" profiles the fixed effects out of its deviance; it is not a GLMM deviance of (theta, beta)`);
  if (nFamily > 0 && !(familyParameter !== null && familyParameter > 0))
    throw new GlmmInputError(
      `the deviance of this ${problem.family.name} model also depends on its ${problem.family.parameter?.name ?? 'family parameter'}, which the model does not hold`,
    );
  const x = new Float64Array(nTheta + nBeta + nFamily);
  if (nFamily > 0) x[nTheta + nBeta] = Math.log(familyParameter!);
  return {
    p,
    nTheta,
    lower: Float64Array.from(deviance.layout.lower.subarray(0, nTheta)),
    deviance(theta, beta) {
      x.set(theta, 0);
      x.set(beta, nTheta);
      return deviance.value(x);
    },
  };
}
