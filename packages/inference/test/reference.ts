import { readFileSync } from 'node:fs';
import { DEFAULT_FIT_OPTIONS, listPlugins, resolvePlugin, type Estimator, type FitProblem, type GlmmResults } from '@glmm/core';
import { fixturesDir } from '@glmm/datasets';
import { buildModelFrame, type DataTable, type ModelFrameEncoding } from '@glmm/formula';
import { readCsvFile } from '@glmm/node-io';
import { createDefaultContainer, fitGlmm } from '@glmm/glmm';
import { glmmDeviance, lmmDeviance, type GlmmDevianceFunction, type LmmDevianceFunction } from '@glmm/model';

/** packages/datasets/, where the R script writes inference-fixtures/ and reads its data. */
export const datasetsRoot = new URL('../', `file://${fixturesDir}`).pathname;

export interface RefCoef {
  name: string;
  estimate: number;
  se: number;
  df?: number;
  statistic: number;
  p: number;
}
export interface RefAnovaRow {
  term: string;
  numDF: number;
  denDF: number;
  F: number;
  p: number;
}
export interface RefInterval {
  name: string;
  lower: number | null;
  upper: number | null;
}
export interface RefContrast {
  contrast: string[];
  L: number[][];
  rhs: number[];
  rows?: { estimate: number; se: number; df: number; t: number; p: number }[];
  F: number;
  numDF: number;
  denDF?: number;
  chiSq?: number;
  p: number;
}
export interface RefBlup {
  group: string;
  term: string;
  level: string;
  estimate: number;
  se: number;
  t: number;
  df: number;
  p: number;
  lower: number;
  upper: number;
}
export interface RefCompare {
  m0: string;
  m1: string;
  chiSq: number;
  df: number;
  p: number;
  refitted: boolean;
  models: { npar: number; logLik: number; aic: number; bic: number }[];
}
export interface InferenceReference {
  name: string;
  data: string;
  formula: string;
  family: string;
  link: string;
  method: string;
  categorical: string[];
  nobs: number;
  p: number;
  residualDf: number;
  beta: number[];
  vcov: number[][];
  satterthwaite?: RefCoef[];
  satterthwaite_ci90?: RefInterval[];
  residual: (RefCoef & { lower: number; upper: number })[];
  z?: RefCoef[];
  anova?: { type3: RefAnovaRow[]; marginal: RefAnovaRow[]; type3_sum_coding?: RefAnovaRow[] };
  contrasts: RefContrast[];
  blups: RefBlup[];
  blups90?: RefBlup[];
  confint_wald: RefInterval[];
  confint_wald90?: RefInterval[];
  confint_profile?: { level: number; rows: RefInterval[] }[];
  wald_varpar: RefInterval[];
  compare?: RefCompare;
}

export function loadReference(name: string): InferenceReference {
  return JSON.parse(readFileSync(`${datasetsRoot}inference-fixtures/${name}.json`, 'utf8')) as InferenceReference;
}

export interface FittedCase {
  ref: InferenceReference;
  data: DataTable;
  results: GlmmResults;
  problem: FitProblem;
  /** The estimator plugin of the fit, whose deviance object the adapter evaluates. */
  estimator: Estimator;
  encoding: ModelFrameEncoding;
  beta: Float64Array;
  vcov: Float64Array;
  theta: Float64Array;
}

const container = createDefaultContainer();

/** Fits a reference case as fitGlmm does and builds the estimator's problem for it. */
export function fitCase(name: string, formula?: string, method?: string): FittedCase {
  const ref = loadReference(name);
  const data = readCsvFile(`${datasetsRoot}${ref.data}`);
  const f = formula ?? ref.formula;
  const m = method ?? ref.method.toLowerCase();
  const results = fitGlmm({ formula: f, data, family: ref.family, method: m, categorical: ref.categorical, container });
  const { model, encoding } = buildModelFrame(f, data, { categorical: ref.categorical });
  const family = resolvePlugin(container, 'family', ref.family);
  const problem: FitProblem = {
    model,
    family,
    link: resolvePlugin(container, 'link', ref.link),
    covariances: model.terms.map((t) => resolvePlugin(container, 'covariance', t.covariance)),
    optimizers: listPlugins(container, 'optimizer').map((n) => resolvePlugin(container, 'optimizer', n)),
    options: { ...DEFAULT_FIT_OPTIONS, nAGQ: Math.max(1, results.nAGQ) },
  };
  const p = results.fixedEffects.length;
  const vcov = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) vcov[j * p + i] = results.vcovFixed[i]![j]!;
  return {
    ref,
    data,
    results,
    problem,
    estimator: resolvePlugin(container, 'estimator', m),
    encoding,
    beta: Float64Array.from(results.fixedEffects.map((r) => r.estimate)),
    vcov,
    theta: Float64Array.from(results.theta),
  };
}

export function lmmOf(c: FittedCase): LmmDevianceFunction {
  return lmmDeviance(c.problem, c.estimator, c.results.method === 'REML');
}

export function glmmOf(c: FittedCase): GlmmDevianceFunction {
  return glmmDeviance(c.problem, c.estimator);
}

/** |a - b| <= rel * |b| (+ a tiny absolute floor). */
export function relClose(a: number, b: number, rel: number, abs = 1e-12): boolean {
  return Math.abs(a - b) <= rel * Math.abs(b) + abs;
}

/** R's fixed effects and their covariance (column-major), to test a function on exactly R's inputs. */
export function rEstimates(ref: InferenceReference): { beta: Float64Array; vcov: Float64Array } {
  const p = ref.beta.length;
  const vcov = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) vcov[j * p + i] = ref.vcov[i]![j]!;
  return { beta: Float64Array.from(ref.beta), vcov };
}
