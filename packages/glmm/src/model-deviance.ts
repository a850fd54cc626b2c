import { GlmmInputError, type Estimator, type FitProblem, type ModelDeviance } from '@glmm/core';
import type { FitRequest } from './fit-request.js';
import { prepareFit } from './prepare-fit.js';

/** The deviance of a request's model, with the problem it was built from. */
export interface ModelDevianceOf {
  readonly deviance: ModelDeviance;
  readonly problem: FitProblem;
  readonly estimator: Estimator;
}

/**
 * The first stage of a fit on its own (lme4's mkLmerDevfun / mkGlmerDevfun):
 * the deviance of the request's model as a function of
 * x = (theta, beta, log family parameter) (see ModelDeviance), for profile
 * likelihood, Satterthwaite degrees of freedom and Wald intervals on the
 * covariance parameters.  The model frame is the problem's own (not the
 * shared design memory of fitGlmm), so the object may be kept.
 */
export function createModelDeviance(request: FitRequest): ModelDevianceOf {
  const { problem, estimator, method } = prepareFit(request);
  if (!estimator.deviance) throw new GlmmInputError(`method "${method}" has no deviance function to evaluate`);
  return { deviance: estimator.deviance(problem), problem, estimator };
}
