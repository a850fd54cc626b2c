import type { Container, FitOptions, GlmmResults, ProgressCallback } from '@glmm/core';
import type { CodingSpec, DataInput } from '@glmm/formula';

/** Everything a user states to fit one model through the library API. */
export interface FitRequest {
  /** lme4 formula, e.g. `y ~ x1 * f + (1 + x1 | g)`. */
  readonly formula: string;
  readonly data: DataInput;
  /** Family name; default "gaussian". */
  readonly family?: string;
  /** Link name; default the family's canonical link. */
  readonly link?: string;
  /** "reml" (default for gaussian), "ml", "laplace" (default otherwise) or "agq". */
  readonly method?: string;
  /** Numeric columns to treat as categorical. */
  readonly categorical?: readonly string[];
  /** Fit an intercept (default true). */
  readonly intercept?: boolean;
  /**
   * Coding of the categorical fixed-effect predictors: 'reference' (default,
   * R's treatment contrasts), 'effects' (sum to zero, R's contr.sum,
   * fitglme's 'effects'; columns f1, f2, ...) or 'full' (one indicator per
   * level, fitglme's 'full'); one for all, or per column: { f: 'effects' }.
   */
  readonly coding?: CodingSpec;
  /** Rows to leave out of the fit, 1-based as the excluded-row report numbers them (fitglme's 'Exclude'). */
  readonly exclude?: readonly number[];
  readonly weights?: string;
  readonly offset?: string;
  readonly options?: Partial<FitOptions>;
  /**
   * Covariance structure per grouping factor, overriding lme4's unstructured
   * default: e.g. { Subject: 'diagonal' } fits (Days | Subject) with
   * independent intercept and slope.  Any registered covariance plugin works.
   */
  readonly covariance?: Readonly<Record<string, string>>;
  /** Confidence level of the Wald intervals; default 0.95. */
  readonly confidenceLevel?: number;
  /** Progress of the fit: stages, outer iterations with their deviance, passes over a data source. */
  readonly onProgress?: ProgressCallback;
  /** Cancels the fit: it rejects (throws) FitAbortedError at the next evaluation. */
  readonly signal?: AbortSignal;
  /** Container to resolve plugins from; default: every bundled plugin. */
  readonly container?: Container;
}

export type { GlmmResults };
