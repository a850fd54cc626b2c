import type { RandomTerm } from './model.js';
import type { GlmmResults } from './results.js';

/**
 * Per-row values a reporter draws, as the fit holds them in memory: the
 * fitted values and residuals (the estimator's typed arrays, not copied),
 * and what the results contract does not carry at all, the random-effects
 * terms as the model laid them out (each row's level and the term's value
 * columns, e.g. the slope's predictor).  Rows are the used rows, in the
 * order of the diagnostics.
 */
export interface ReportRows {
  readonly fitted: ArrayLike<number>;
  /** y - mu, on the scale of the fitted values (binomial: proportions). */
  readonly responseResiduals: ArrayLike<number>;
  readonly pearsonResiduals: ArrayLike<number>;
  readonly devianceResiduals: ArrayLike<number>;
  readonly terms: readonly Pick<RandomTerm, 'group' | 'levels' | 'index' | 'columns' | 'columnNames'>[];
}

/** What a front end hands a reporter besides the results. */
export interface ReportContext {
  /** Absent when the results were read back from JSON: plots that need it are left out. */
  readonly rows?: ReportRows;
  /** One of the reporter's `styles`; default its first. */
  readonly style?: string;
}

/** Renders the results contract in one output format (text, json, html, ...). */
export interface Reporter {
  /** Format name as the user types it: "text", "json", "html". */
  readonly name: string;
  /** Layouts the reporter offers, the first being the default (text: "lme4", "fitglme"). */
  readonly styles?: readonly string[];
  /** May be asynchronous: the HTML reporter's SVG renderer is. */
  render(results: GlmmResults, context?: ReportContext): string | Promise<string>;
}
