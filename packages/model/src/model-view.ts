import type { Estimator, FitProblem, GlmmResults } from '@glmm/core';

/**
 * What a fitted model offers to code that computes on it (tests, intervals,
 * model comparison, the bootstrap): the estimates, the structure of the
 * fixed and random parts, and, when the data are at hand, the numeric
 * problem the estimator solved.  `GlmmModel` implements it; a model loaded
 * from a file without its data has everything but `problem()`/`refit`.
 */
export interface FittedModelView {
  readonly formula: string;
  /** Plugin names, as resolved at fit time. */
  readonly familyName: string;
  readonly linkName: string;
  /** Estimator plugin name: "reml", "ml", "laplace", "agq". */
  readonly methodName: string;
  /** Quadrature points: 0 for LMMs, 1 for Laplace, > 1 for AGQ. */
  readonly nAGQ: number;
  readonly nobs: number;
  readonly fixedNames: readonly string[];
  readonly beta: Float64Array;
  /** vcov(beta), column-major p x p. */
  readonly vcov: Float64Array;
  readonly theta: Float64Array;
  readonly sigma: number;
  readonly dispersion: number;
  readonly logLik: number;
  /** Number of estimated parameters. */
  readonly df: number;
  /** The fixed-effects terms and the columns of X each owns (R's "assign"), intercept first when present. */
  readonly fixedTerms: readonly FixedTermInfo[];
  readonly randomTerms: readonly RandomTermInfo[];
  /** The results contract without the per-row diagnostics (which need the data). */
  readonly summary: Omit<GlmmResults, 'diagnostics'>;
  /** Whether the model holds its data (refit, profile and the bootstrap need them). */
  readonly hasData: boolean;
  /** The estimator's problem; throws ModelDataRequiredError when the model has no data. */
  problem(): FitProblem;
  /** The estimator plugin that fitted the model. */
  estimator(): Estimator;
}

export interface FixedTermInfo {
  /** As R labels it: "(Intercept)", "Days", "x:f". */
  readonly label: string;
  /** Column indices into fixedNames. */
  readonly columns: readonly number[];
  /** Variables of the term (labels), for the coding-independent Type III hypotheses. */
  readonly variables: readonly string[];
}

export interface RandomTermInfo {
  readonly group: string;
  readonly columnNames: readonly string[];
  readonly levels: readonly string[];
  /** Covariance structure plugin name. */
  readonly covariance: string;
  /** Number of theta entries of the term, and the first one's index. */
  readonly thetaOffset: number;
  readonly thetaCount: number;
  /** Whether the structure estimates correlations. */
  readonly correlated: boolean;
  /** Covariance matrix on the user's scale, column-major k x k. */
  readonly covarianceMatrix: Float64Array;
  /** Conditional modes and SDs, level-major (level * k + column). */
  readonly modes: Float64Array;
  readonly condSd: Float64Array;
}
