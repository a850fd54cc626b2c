import { GlmmInputError, type CovarianceStructure, type Estimator, type Family, type FitProblem, type GlmmResults } from '@glmm/core';
import { parseFormula } from '@glmm/formula';
import { glmmDeviance, lmmDeviance, type RandomTermInfo } from '@glmm/model';
import { anovaTable, type AnovaTable } from './anova.js';
import { parametricBootstrap, type BootstrapOptions, type BootstrapResult } from './bootstrap.js';
import { checkLevel, coefficientTable, type CoefficientTable } from './coefficient-table.js';
import { contrastF, contrastT, type ContrastEstimate, type ContrastFTest } from './contrast-test.js';
import { parseContrast } from './contrast-parser.js';
import { CovarianceParameters, covarianceTerms } from './covariance-parameters.js';
import { defaultDfMethod, DF_METHODS, type DegreesOfFreedom, type DfMethod } from './degrees-of-freedom.js';
import type { FrameEncodingLike } from './design-layout.js';
import type { AnovaType } from './hypotheses.js';
import type { IntervalMethod, IntervalTable } from './interval-table.js';
import type { LmmDeviance } from './lmm-deviance.js';
import { lmmOptimum } from './lmm-optimum.js';
import { compareModels, responseFingerprint, type ComparableModel, type ModelComparison } from './model-comparison.js';
import { lmmProfileIntervals } from './profile-intervals.js';
import { randomEffectsTable, type RandomEffectsTable } from './random-effects-table.js';
import { satterthwaiteModel, type SatterthwaiteModel } from './satterthwaite.js';
import { waldFromVarparCovariance } from './variance-parameter-wald.js';
import { glmmWaldIntervals, waldFixed } from './wald-intervals.js';

/**
 * The inference functions on a fitted model object (GlmmModel of
 * @glmm/model has this shape): what they read of it, and nothing else.
 */
export interface InferenceModel {
  readonly encoding: FrameEncodingLike & { readonly formula: string };
  readonly estimates: {
    /** "REML", "ML", "Laplace", "AGQ". */
    readonly method: string;
    /** 0 for linear mixed models. */
    readonly nAGQ: number;
    readonly beta: Float64Array;
    /** Column-major p x p. */
    readonly vcov: Float64Array;
    readonly theta: Float64Array;
    readonly sigma: number;
    readonly logLik: number;
    /** Number of estimated parameters. */
    readonly df: number;
    readonly terms: readonly RandomTermInfo[];
    /** A family parameter estimated by ML (negative binomial shape, ML dispersion), held at it in the GLMM deviance. */
    readonly familyParameter?: number | null;
  };
  readonly summary: { readonly nobs: number; readonly family: string; readonly link: string; readonly formula: string };
  /** The plugins the model was fitted with: the estimator's deviance (Estimator.deviance) serves the likelihood-based methods. */
  readonly plugins: { readonly family: Family; readonly covariances: readonly CovarianceStructure[]; readonly estimator: Estimator };
  /** Whether the model holds the response it was fitted to. */
  readonly hasData: boolean;
  /** The estimator's problem on the training data; throws (naming what to pass) when the model has no data. */
  problem(): FitProblem;
  simulate(options: { nsim?: number; seed?: number }): { readonly responses: readonly Float64Array[] };
  refit(response: ArrayLike<number>, options?: { signal?: AbortSignal }): InferenceModel;
  /** Satterthwaite's ingredients saved with the model, when it has them (a model loaded without its data). */
  readonly satterthwaite?: SatterthwaiteModel | null;
}

export interface TestOptions {
  /** Default: satterthwaite for linear mixed models, z otherwise. */
  readonly ddf?: DfMethod;
  /** Confidence level; default 0.95. */
  readonly level?: number;
}

/** Whether the model is a linear mixed model (exact likelihood, sigma a parameter). */
export function isLinearMixedModel(model: InferenceModel): boolean {
  // nAGQ 0 says the integral is exact; pseudo-likelihood fits (PQL, MPL, REMPL)
  // also report 0 but their likelihood is a working model's, with no
  // Satterthwaite DF of their own: only REML and ML fits are LMMs here.
  return model.estimates.nAGQ === 0 && (model.estimates.method === 'REML' || model.estimates.method === 'ML');
}

const satterthwaiteCache = new WeakMap<object, SatterthwaiteModel>();

/** The LMM deviance of the model's training data (REML or ML as fitted, or as asked), from its estimator's deviance object. */
export function modelLmmDeviance(model: InferenceModel, reml = model.estimates.method === 'REML'): LmmDeviance {
  return lmmDeviance(model.problem(), model.plugins.estimator, reml);
}

/**
 * Satterthwaite's ingredients (lmerTest's vcov_varpar and Jacobian) of a
 * linear mixed model: saved with the model, or computed from its data
 * (1 + 2 m^2 deviance evaluations for m covariance parameters) and kept.
 */
export function satterthwaiteOf(model: InferenceModel): SatterthwaiteModel {
  if (!isLinearMixedModel(model))
    throw new GlmmInputError(`Satterthwaite's degrees of freedom are defined for linear mixed models; this is a ${model.summary.family} GLMM: use ddf "residual" or "z"`);
  if (model.satterthwaite) return model.satterthwaite;
  const cached = satterthwaiteCache.get(model);
  if (cached) return cached;
  if (!model.hasData)
    throw new GlmmInputError(
      "Satterthwaite's degrees of freedom need the data the model was fitted to (CLI: --data FILE.csv; library: loadModel(json, { data })); or use ddf \"residual\" or \"z\"",
    );
  const s = satterthwaiteModel(modelLmmDeviance(model), model.estimates.theta, model.estimates.sigma);
  satterthwaiteCache.set(model, s);
  return s;
}

/** The degrees of freedom a test uses: the method asked for, else the model's default. */
export function degreesOfFreedom(model: InferenceModel, method?: DfMethod): DegreesOfFreedom {
  const m = method ?? defaultDfMethod(isLinearMixedModel(model));
  if (!DF_METHODS.includes(m)) throw new GlmmInputError(`unknown degrees-of-freedom method "${String(m)}"; methods: ${DF_METHODS.join(', ')}`);
  switch (m) {
    case 'z':
      return { method: 'z' };
    case 'residual': {
      const df = model.summary.nobs - model.estimates.beta.length;
      if (!(df > 0)) throw new GlmmInputError(`the residual degrees of freedom are ${df} (${model.summary.nobs} rows, ${model.estimates.beta.length} fixed effects); use ddf "z"`);
      return { method: 'residual', df };
    }
    case 'satterthwaite':
      return { method: 'satterthwaite', model: satterthwaiteOf(model) };
  }
}

/** The fixed-effects table with the chosen DF (fitglme's coefficient table and coefCI). */
export function fixedEffectsTable(model: InferenceModel, options: TestOptions = {}): CoefficientTable {
  return coefficientTable(model.encoding.fixedNames, model.estimates.beta, model.estimates.vcov, degreesOfFreedom(model, options.ddf), options.level ?? 0.95);
}

/** The random-effects table (fitglme's randomEffects): BLUPs with conditional SDs, t on the residual DF (or z). */
export function randomEffectsTests(model: InferenceModel, options: TestOptions = {}): RandomEffectsTable {
  const ddf = options.ddf ?? defaultDfMethod(isLinearMixedModel(model));
  const modes = model.estimates.terms.map((t) => ({ group: t.group, columnNames: t.columnNames, levels: t.levels, values: t.modes, condSd: t.condSd }));
  return randomEffectsTable(modes, ddf, model.summary.nobs - model.estimates.beta.length, options.level ?? 0.95);
}

/** coefCI: intervals of the fixed effects and of the BLUPs at a level. */
export function coefCI(model: InferenceModel, options: TestOptions = {}): { fixed: CoefficientTable; random: RandomEffectsTable } {
  return { fixed: fixedEffectsTable(model, options), random: randomEffectsTests(model, options) };
}

export interface AnovaOptions {
  readonly ddf?: DfMethod;
  /** Default '3' (Type III as lmerTest and SAS). */
  readonly type?: AnovaType;
}

/** An F test per fixed-effects term. */
export function anova(model: InferenceModel, options: AnovaOptions = {}): AnovaTable {
  const type = options.type ?? '3';
  if (type !== '3' && type !== 'marginal') throw new GlmmInputError(`unknown anova type "${String(type)}"; types: 3, marginal`);
  return anovaTable(model.encoding, model.estimates.beta, model.estimates.vcov, degreesOfFreedom(model, options.ddf), type);
}

export interface CoefTestResult extends ContrastFTest {
  /** The hypothesis' rows, each with its own t (or z) test. */
  readonly rows: (ContrastEstimate & { readonly contrast: string; readonly rhs: number })[];
}

/**
 * coefTest(H, c): the F test of H beta = c, H given as rows of numbers or
 * as strings such as "recipeB - recipeC = 0" (then c comes from them).
 */
export function coefTest(
  model: InferenceModel,
  H: readonly (readonly number[])[] | readonly string[],
  c?: readonly number[],
  options: TestOptions = {},
): CoefTestResult {
  const names = model.encoding.fixedNames;
  let L: number[][];
  let rhs: number[];
  let labels: string[];
  if (H.length > 0 && typeof H[0] === 'string') {
    const parsed = (H as readonly string[]).map((text) => parseContrast(text, names));
    L = parsed.map((r) => r.coefficients);
    rhs = parsed.map((r) => r.rhs);
    labels = parsed.map((r) => r.text.trim());
    if (c !== undefined) throw new GlmmInputError('give the right-hand sides inside the contrast strings ("... = value"), not separately');
  } else {
    L = (H as readonly (readonly number[])[]).map((r) => [...r]);
    rhs = c ? [...c] : new Array<number>(L.length).fill(0);
    labels = L.map((row) => describeRow(row, names));
  }
  if (L.length === 0) throw new GlmmInputError('coefTest needs at least one contrast');
  const dof = degreesOfFreedom(model, options.ddf);
  const { beta, vcov } = model.estimates;
  const test = contrastF(L, rhs, beta, vcov, dof);
  const rows = L.map((row, i) => ({ contrast: labels[i]!, rhs: rhs[i]!, ...contrastT(row, rhs[i]!, beta, vcov, dof) }));
  return { ...test, rows };
}

function describeRow(row: readonly number[], names: readonly string[]): string {
  const parts = row.flatMap((v, j) => (v === 0 ? [] : [`${v === 1 ? '' : v === -1 ? '-' : `${v}*`}${names[j]}`]));
  return parts.join(' + ').replace(/\+ -/g, '- ') || '0';
}

/**
 * The scale of the random effects relative to Lambda(theta) u, with which
 * theta maps to the SDs: sigma for linear mixed models and for lme4's moment
 * dispersion (b = sigma Lambda u); 1 where the family holds a parameter
 * estimated by ML (its 1/phi is in the weights, so b = Lambda u, as the
 * fit's variance components report).
 */
export function randomEffectScale(model: InferenceModel): number {
  return !isLinearMixedModel(model) && model.estimates.familyParameter != null ? 1 : model.estimates.sigma;
}

/** The covariance parameters of the model (sd/cor per term, sigma for linear mixed models). */
export function covarianceParametersOf(model: InferenceModel): CovarianceParameters {
  return new CovarianceParameters(covarianceTerms(model.estimates.terms, model.plugins.covariances), isLinearMixedModel(model));
}

export interface ConfintOptions {
  /** Default: profile for linear mixed models, Wald otherwise. */
  readonly method?: IntervalMethod;
  readonly level?: number;
}

/**
 * Intervals for the covariance parameters and the fixed effects, named as
 * lme4's confint(oldNames = FALSE).  Profile intervals need the data; a
 * profile asked of a GLMM gives Wald intervals, with a note.
 */
export function confint(model: InferenceModel, options: ConfintOptions = {}): IntervalTable {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const lmm = isLinearMixedModel(model);
  const method = options.method ?? (lmm ? 'profile' : 'wald');
  if (method !== 'profile' && method !== 'wald') throw new GlmmInputError(`unknown interval method "${String(method)}"; methods: profile, wald`);
  const params = covarianceParametersOf(model);
  const { beta, vcov, theta } = model.estimates;
  const sigma = randomEffectScale(model);
  const names = model.encoding.fixedNames;
  if (lmm && method === 'profile') return lmmProfileIntervals(modelLmmDeviance(model), params, theta, names, level);
  const notes: string[] = [];
  if (method === 'profile') notes.push('profile intervals are implemented for linear mixed models: Wald intervals on the log-SD / atanh-correlation scale instead');
  if (lmm) {
    const vp = waldFromVarparCovariance(params, theta, sigma, satterthwaiteOf(model).vcovVarpar, level);
    return { method: 'wald', level, rows: [...vp.rows, ...waldFixed(names, beta, vcov, level)], notes: [...notes, ...vp.notes] };
  }
  // The covariance parameters' Wald intervals need the deviance at other parameters.
  const withoutDeviance = !model.hasData
    ? "the covariance parameters' Wald intervals need the deviance at other parameters, hence the data the model was fitted to (CLI: --data FILE.csv); only the fixed effects have intervals"
    : !model.plugins.estimator.deviance
      ? `method "${model.plugins.estimator.name}" has no likelihood to differentiate (a pseudo-likelihood fit), so the covariance parameters have no Wald intervals; only the fixed effects have intervals`
      : null;
  if (withoutDeviance) {
    const rows = params.names.map((name, i) => ({ name, estimate: params.fromTheta(theta, sigma)[i]!, lower: null, upper: null }));
    return { method: 'wald', level, rows: [...rows, ...waldFixed(names, beta, vcov, level)], notes: [...notes, withoutDeviance] };
  }
  const familyParameter = model.estimates.familyParameter ?? null;
  const deviance = glmmDeviance(model.problem(), model.plugins.estimator, familyParameter);
  const table = glmmWaldIntervals(deviance, params, theta, sigma, names, beta, vcov, level);
  if (familyParameter !== null)
    notes.push(`the ${model.plugins.family.name} family's ${model.plugins.family.parameter?.name ?? 'parameter'} is held at its estimate in the covariance parameters' intervals`);
  return { ...table, notes: [...notes, ...table.notes] };
}

/** What the likelihood-ratio test reads of a model. */
export function comparableModel(model: InferenceModel): ComparableModel {
  const y = model.hasData ? model.problem().model : null;
  return {
    formula: model.encoding.formula,
    familyName: model.summary.family,
    linkName: model.summary.link,
    method: model.estimates.method,
    nAGQ: model.estimates.nAGQ,
    nobs: model.summary.nobs,
    npar: model.estimates.df,
    logLik: model.estimates.logLik,
    fixedNames: model.encoding.fixedNames,
    randomTerms: model.estimates.terms.map((t) => ({ group: t.group, columnNames: t.columnNames, correlated: t.correlated })),
    response: {
      name: parseFormula(model.encoding.formula).response.label,
      ...(y ? { fingerprint: responseFingerprint(y.y, y.weights) } : {}),
    },
    mlLogLik: () => {
      if (!model.hasData)
        throw new GlmmInputError(
          `"${model.encoding.formula}" was fitted by REML: the likelihood-ratio test refits it by ML, which needs the data it was fitted to (CLI: --data FILE.csv; library: loadModel(json, { data }))`,
        );
      return -lmmOptimum(modelLmmDeviance(model, false), model.estimates.theta, false).deviance / 2;
    },
  };
}

/** The likelihood-ratio test of two nested models (lme4's anova(m0, m1)). */
export function compare(m0: InferenceModel, m1: InferenceModel): ModelComparison {
  return compareModels(comparableModel(m0), comparableModel(m1));
}

/**
 * The parametric bootstrap of the fixed effects and covariance parameters:
 * responses simulated from the model (new random effects each time, as
 * lme4's bootMer), the model refitted to each.
 */
export function bootstrap(model: InferenceModel, options: BootstrapOptions): BootstrapResult {
  const params = covarianceParametersOf(model);
  const estimates = params.fromTheta(model.estimates.theta, randomEffectScale(model));
  const valuesOf = (m: InferenceModel): Float64Array => {
    const vp = params.fromTheta(m.estimates.theta, randomEffectScale(m));
    const out = new Float64Array(m.estimates.beta.length + vp.length);
    out.set(m.estimates.beta);
    out.set(vp, m.estimates.beta.length);
    return out;
  };
  return parametricBootstrap(
    {
      names: [...model.encoding.fixedNames, ...params.names],
      estimates: Float64Array.from([...model.estimates.beta, ...estimates]),
      simulate: (seed) => model.simulate({ nsim: 1, seed }).responses[0]!,
      refit: (y) => valuesOf(model.refit(y, options.signal ? { signal: options.signal } : {})),
    },
    options,
  );
}

/**
 * The results contract with the fixed effects of a coefficient table: the
 * statistic, p-value and interval of the chosen DF method, each row's `df`
 * and the `dfMethod`.
 */
export function withDegreesOfFreedom(results: GlmmResults, table: CoefficientTable): GlmmResults {
  const fixedEffects = table.rows.map((r) => ({
    name: r.name,
    estimate: r.estimate,
    stdError: r.stdError,
    statistic: r.statistic,
    pValue: r.pValue,
    ciLower: r.ciLower,
    ciUpper: r.ciUpper,
    df: r.df,
  }));
  return Object.defineProperties(Object.create(Object.getPrototypeOf(results) as object) as GlmmResults, {
    ...Object.getOwnPropertyDescriptors(results),
    fixedEffects: { value: fixedEffects, enumerable: true, writable: true, configurable: true },
    dfMethod: { value: table.dfMethod, enumerable: true, writable: true, configurable: true },
    confidenceLevel: { value: table.level, enumerable: true, writable: true, configurable: true },
  });
}
