/**
 * The numeric model an estimator sees: response, fixed-effects design and
 * random-effects terms, all as typed columns (no per-row objects).
 */

/** One random-effects term `(cols | group)`: Z_t stored as level indices plus value columns. */
export interface RandomTerm {
  /** Grouping factor as lme4 names it: "Subject", "cask:batch". */
  readonly group: string;
  /** Level names, in the order of the level indices (sorted as R sorts factor levels). */
  readonly levels: readonly string[];
  /** Level index (0-based) of each row. */
  readonly index: Int32Array;
  /** The k value columns of the term, each of length n. */
  readonly columns: readonly Float64Array[];
  /** Column names as lme4 prints them: "(Intercept)", "Days". */
  readonly columnNames: readonly string[];
  /** Name of the covariance-structure plugin: "unstructured" or "diagonal". */
  readonly covariance: string;
}

export interface ExcludedRow {
  /** 1-based row number in the input (not counting a CSV header). */
  readonly row: number;
  readonly column: string;
  /** Why: a bad value in `column`, or the caller's exclude option (then `column` is empty). */
  readonly reason: 'missing' | 'non-numeric' | 'non-finite' | 'excluded by request';
  readonly value?: string;
}

export interface ExclusionSummary {
  readonly count: number;
  /** Rows excluded per reason. */
  readonly byReason: Readonly<Record<string, number>>;
  /** Each excluded row with the first offending column. */
  readonly rows: readonly ExcludedRow[];
}

export interface ModelMatrices {
  readonly n: number;
  readonly p: number;
  readonly responseName: string;
  /** For binomial: proportion of successes; otherwise the response. */
  readonly y: Float64Array;
  /** Prior weights (binomial: number of trials times any prior weight). */
  readonly weights: Float64Array;
  /** Binomial trials (1 for Bernoulli responses and for other families). */
  readonly trials: Float64Array;
  readonly offset: Float64Array;
  /** Fixed-effects design, column-major n x p. */
  readonly X: Float64Array;
  readonly fixedNames: readonly string[];
  /** Random-effects terms in lme4's order (decreasing number of levels, stable). */
  readonly terms: readonly RandomTerm[];
  /** Rows of the input that were used, 0-based. */
  readonly usedRows: Int32Array;
  readonly excluded: ExclusionSummary;
}
