/** lme4's answer for one fixture, as stored in `fixtures/<name>/reference.json`. */
export interface ReferenceFixef {
  name: string;
  estimate: number;
  se: number;
  statistic: number;
  p_value?: number;
}

export interface ReferenceVarCorr {
  group: string;
  var1: string | null;
  var2: string | null;
  vcov: number;
  sdcor: number;
}

export interface ReferenceRanef {
  group: string;
  term: string;
  levels: string[];
  condval: number[];
  condsd: number[];
}

export interface Reference {
  name: string;
  columns: string[];
  column_types: Record<string, 'numeric' | 'categorical'>;
  formula: string;
  family: string;
  link: string;
  method: string;
  nAGQ: number | null;
  nobs: number;
  ngroups: Record<string, number>;
  fixef: ReferenceFixef[];
  vcov_fixef: number[][];
  theta: number[];
  varcorr: ReferenceVarCorr[];
  sigma: number;
  logLik: number;
  df: number;
  AIC: number;
  BIC: number;
  minus2logLik: number;
  dispersion: number | null;
  REML_criterion: number | null;
  conditional_deviance: number;
  singular: boolean;
  ranef: ReferenceRanef[];
  fitted: number[];
  resid_response: number[];
  resid_deviance: number[];
  resid_pearson: number[];
}
