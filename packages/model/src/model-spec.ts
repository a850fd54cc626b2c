import type { FitOptions } from '@glmm/core';

/**
 * What was asked of the fit besides the formula and its frame (which the
 * frame encoding holds): the plugins by name and the options.  Plain JSON,
 * saved with the model, so a loaded model resolves the same plugins.
 */
export interface ModelSpec {
  /** Family, link and estimator plugin names as resolved. */
  readonly family: string;
  readonly link: string;
  readonly method: string;
  readonly options: FitOptions;
  /** Covariance structure plugin of each random-effects term, in the model's order. */
  readonly covariances: readonly string[];
  /** Level of the Wald intervals in the results. */
  readonly confidenceLevel: number;
}
