import type { FitWarning } from './warnings.js';

/** Covariance of one random-effects term on the scale the user reads (variances, not relative). */
export interface TermCovariance {
  readonly group: string;
  readonly columnNames: readonly string[];
  /** k x k covariance matrix, column-major. */
  readonly covariance: Float64Array;
  /** False when the structure fixes the covariances at zero (e.g. diagonal): they are not estimates. */
  readonly correlated: boolean;
}

/** Conditional modes of one term: values and conditional SDs, level-major (level * k + column). */
export interface TermModes {
  readonly group: string;
  readonly columnNames: readonly string[];
  readonly levels: readonly string[];
  readonly values: Float64Array;
  readonly condSd: Float64Array;
}

export interface ConvergenceInfo {
  readonly converged: boolean;
  /** Outer optimiser iterations. */
  readonly iterations: number;
  /** Objective evaluations (each one a PIRLS solve for GLMMs). */
  readonly evaluations: number;
  readonly optimizer: string;
  readonly message: string;
}

/** A family parameter estimated by maximum likelihood (Family.parameter), with its standard error. */
export interface FamilyParameterEstimate {
  /** The parameter's name as the family declares it: "shape", "dispersion". */
  readonly name: string;
  readonly estimate: number;
  /** From the Hessian of the deviance in (theta, beta, log parameter), by the delta method; NaN-free: null when unavailable. */
  readonly stdError: number | null;
}

/** What an estimator returns; `report` turns it into the results contract. */
export interface RawFit {
  /** "REML", "ML", "Laplace" or "AGQ". */
  readonly method: string;
  /** Quadrature points: 1 = Laplace, > 1 = AGQ, 0 for linear mixed models (exact integral). */
  readonly nAGQ: number;
  readonly beta: Float64Array;
  /** p x p covariance of beta, column-major. */
  readonly vcovBeta: Float64Array;
  readonly theta: Float64Array;
  /** Residual SD (Gaussian), lme4's sigma() otherwise (1 for binomial/Poisson). */
  readonly sigma: number;
  /** Dispersion phi (sigma^2 for families with a dispersion, 1 otherwise). */
  readonly dispersion: number;
  /** Log-likelihood: REML-based for REML fits, Laplace/AGQ approximation for GLMMs. */
  readonly logLik: number;
  /** Number of estimated parameters (beta, theta, and the dispersion if any). */
  readonly df: number;
  readonly remlCriterion: number | null;
  /** Sum of squared deviance residuals at the conditional modes. */
  readonly conditionalDeviance: number;
  readonly termCovariances: readonly TermCovariance[];
  readonly modes: readonly TermModes[];
  /** Linear predictor including random effects and offset, per row. */
  readonly eta: Float64Array;
  /** Fitted mean conditional on the random effects, per row. */
  readonly fitted: Float64Array;
  readonly residResponse: Float64Array;
  readonly residDeviance: Float64Array;
  readonly residPearson: Float64Array;
  /** Whether a variance is at (or next to) zero, or a correlation at +-1. */
  readonly singular: boolean;
  readonly convergence: ConvergenceInfo;
  readonly warnings: readonly FitWarning[];
  /** The family parameter estimated by ML, when the fit estimated one; absent or null otherwise. */
  readonly familyParameter?: FamilyParameterEstimate | null;
}
