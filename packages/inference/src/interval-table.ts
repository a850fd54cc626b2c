/** One confidence interval; a bound is null where it does not exist (a parameter at its boundary). */
export interface IntervalRow {
  /** lme4's name: "sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject", "sigma", or a coefficient's name. */
  readonly name: string;
  readonly estimate: number;
  readonly lower: number | null;
  readonly upper: number | null;
}

export type IntervalMethod = 'profile' | 'wald';

export interface IntervalTable {
  /** The method used (reported, since a profile request on a GLMM gets Wald intervals). */
  readonly method: IntervalMethod;
  readonly level: number;
  readonly rows: IntervalRow[];
  readonly notes: string[];
}
