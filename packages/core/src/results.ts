import type { ExclusionSummary } from './model.js';
import type { ConvergenceInfo, FamilyParameterEstimate } from './fit.js';
import type { FitWarning } from './warnings.js';

/**
 * The results contract: one JSON shape for every family and estimator.
 * `packages/report` owns its JSON Schema and builds it from a RawFit.
 */
export interface FixedEffectRow {
  name: string;
  estimate: number;
  stdError: number;
  /** Wald z = estimate / stdError (t for linear mixed models, read as z as MIDAS does). */
  statistic: number;
  pValue: number;
  ciLower: number;
  ciUpper: number;
  /** Degrees of freedom of the t reference distribution; null for z (see GlmmResults.dfMethod). */
  df?: number | null;
}

export interface VarianceComponentRow {
  group: string;
  term: string | null;
  variance: number;
  stdDev: number;
  /** Present on covariance rows: the second term. */
  term2?: string;
  /** Present on covariance rows. */
  correlation?: number;
  /** Present on covariance rows: the covariance itself (then `variance` is the covariance too). */
  covariance?: number;
}

export interface IccRow {
  /** Grouping factor (the ICC is that factor's share at covariates = 0). */
  group: string;
  value: number;
  /** Design effect 1 + (mean group size - 1) * ICC. */
  designEffect: number;
  meanGroupSize: number;
  /** Residual variance used in the denominator (latent scale for non-Gaussian families). */
  residualVariance: number;
  /** Formula of the residual variance, with its source. */
  formula: string;
}

export interface RandomEffectRow {
  group: string;
  term: string;
  level: string;
  value: number;
  condSd: number;
}

export interface FitStatistics {
  logLik: number;
  df: number;
  aic: number;
  bic: number;
  /** -2 logLik. */
  deviance: number;
  /** Sum of squared deviance residuals at the conditional modes. */
  conditionalDeviance: number;
  /** -2 REML logLik for REML fits, null otherwise. */
  remlCriterion: number | null;
}

/** Per-row diagnostics, column-wise; rows are 1-based input rows. */
export interface Diagnostics {
  row: number[];
  fitted: number[];
  linearPredictor: number[];
  responseResiduals: number[];
  devianceResiduals: number[];
  pearsonResiduals: number[];
  /** For each term "group|column": the row's BLUP of that term. */
  randomEffects: Record<string, number[]>;
}

/**
 * Where a fit's per-row diagnostics went. They are nobs rows, far more than
 * the rest of the results on large data, so the JSON carries this note in
 * their place unless they were asked for inline.
 */
export interface DiagnosticsOutput {
  /** Rows of per-row output (nobs). */
  rows: number;
  /** Whether the JSON holds them (as `diagnostics`); false unless asked for. */
  inline: boolean;
  /** File they were written to (CSV or NDJSON), or null. */
  file: string | null;
  /** Format of that file, or null. */
  format: 'csv' | 'ndjson' | null;
}

export interface Timing {
  fitSeconds: number;
  loadSeconds?: number;
}

export interface GlmmResults {
  schemaVersion: 2;
  formula: string;
  family: string;
  link: string;
  method: string;
  nAGQ: number;
  nobs: number;
  ngroups: Record<string, number>;
  excluded: ExclusionSummary;
  fixedEffects: FixedEffectRow[];
  /**
   * How the fixed effects' p-values and intervals are referred: 'z' the
   * normal, 'residual' t with n - p DF, 'satterthwaite' t with
   * Satterthwaite's DF (linear mixed models).  Absent: z.
   */
  dfMethod?: 'satterthwaite' | 'residual' | 'z';
  /** Level of the fixed effects' intervals (absent: read off the z intervals). */
  confidenceLevel?: number;
  /** Covariance of the fixed effects, row-major p x p. */
  vcovFixed: number[][];
  varianceComponents: VarianceComponentRow[];
  theta: number[];
  sigma: number;
  dispersion: number;
  icc: IccRow[];
  fit: FitStatistics;
  randomEffects: RandomEffectRow[];
  /**
   * Per-row diagnostics: always here in memory (built on first access), in
   * the JSON only when `diagnosticsOutput.inline` (see the results' toJSON).
   */
  diagnostics: Diagnostics;
  diagnosticsOutput: DiagnosticsOutput;
  singular: boolean;
  convergence: ConvergenceInfo;
  warnings: FitWarning[];
  /** A family parameter estimated by ML (negative binomial shape, ML dispersion), with its SE; null when none. */
  familyParameter?: FamilyParameterEstimate | null;
  timing: Timing;
}
