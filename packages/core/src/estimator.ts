import type { CovarianceStructure } from './covariance.js';
import type { FitStart, ModelDeviance } from './deviance.js';
import type { Family } from './family.js';
import type { RawFit } from './fit.js';
import type { Link } from './link.js';
import type { ModelMatrices } from './model.js';
import type { Optimizer } from './optimizer.js';
import type { ProgressCallback } from './progress.js';

export interface FitOptions {
  /** Cap on inner iterations (PIRLS, IRLS) and on quasi-Newton iterations. Default 100. */
  readonly maxIterations: number;
  /** Cap on objective evaluations of derivative-free phases. Default 10000. */
  readonly maxEvaluations: number;
  /** Relative convergence tolerance on the objective. Default 1e-6. */
  readonly tolerance: number;
  /** Quadrature points for AGQ (1 = Laplace). */
  readonly nAGQ: number;
  /**
   * How a family's dispersion is estimated by the GLMM estimators: "moment"
   * (default, lme4's: the Pearson/deviance moment estimate inside the
   * Laplace deviance) or "ml" (maximum likelihood jointly with theta and
   * beta, as glmmTMB; needs a family that declares `parameter`).
   */
  readonly dispersion?: 'moment' | 'ml';
  /** A warm start (e.g. a previous fit's estimates); the estimator's own start otherwise. */
  readonly start?: FitStart;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = {
  maxIterations: 100,
  maxEvaluations: 10000,
  tolerance: 1e-6,
  nAGQ: 1,
};

/** Everything an estimator needs, resolved by the container beforehand. */
export interface FitProblem {
  readonly model: ModelMatrices;
  readonly family: Family;
  readonly link: Link;
  /** Covariance structure of each term, index-aligned with `model.terms`. */
  readonly covariances: readonly CovarianceStructure[];
  /** Optimisers by name; an estimator picks the ones it needs and falls back to the first. */
  readonly optimizers: readonly Optimizer[];
  readonly options: FitOptions;
  /** Called at each stage and outer iteration; estimators must tolerate its absence. */
  readonly onProgress?: ProgressCallback;
  /** When it fires, the estimator stops at the next evaluation and throws FitAbortedError. */
  readonly signal?: AbortSignal;
}

export interface Estimator {
  /** Method name as the user types it: "reml", "ml", "laplace", "agq". */
  readonly name: string;
  /**
   * Returns null when the estimator can fit this problem, otherwise the reason
   * it cannot (one line, naming a method that can where there is one).  The
   * link is optional only for estimators written before it was passed.
   */
  supports(family: Family, model: ModelMatrices, options: FitOptions, link?: Link): string | null;
  /**
   * The first stage of `fit`, on its own: the deviance of this problem as a
   * function of (theta, beta, log family parameter), see ModelDeviance.
   * Optional for estimators that have no such objective (pseudo-likelihood).
   */
  deviance?(problem: FitProblem): ModelDeviance;
  fit(problem: FitProblem): RawFit;
}
