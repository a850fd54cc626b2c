import {
  GlmmInputError,
  resolvePlugin,
  type Estimator,
  type Family,
  type FitProblem,
  type GlmmResults,
  type ModelMatrices,
  type ProgressCallback,
  type RawFit,
} from '@glmm/core';
import { newDataDesign, type DataInput, type ModelFrameEncoding } from '@glmm/formula';
import { buildDiagnostics, buildResults, withJsonContract } from '@glmm/report';
import { sparseZ, type DesignMatrices } from './design-matrices.js';
import { fitProblem } from './estimation-adapter.js';
import { estimatesOf, type ModelEstimates } from './estimates.js';
import { fittedFamily } from './fitted-family.js';
import { addTerm, fixedPart } from './linear-predictor.js';
import { ModelDataRequiredError } from './model-data-error.js';
import type { ModelPlugins } from './model-plugins.js';
import type { ModelSpec } from './model-spec.js';
import type { FittedModelView, FixedTermInfo, RandomTermInfo } from './model-view.js';
import { predictDesign, type PredictOptions, type Prediction, type PredictionDesign, type PredictionScale } from './prediction.js';
import { residualsOf, RESIDUAL_TYPES, type ResidualType } from './residuals.js';
import { simulateDesign, type SimulateOptions, type Simulation } from './simulation.js';
import { withResponse, type TrainingData, type TrainingDesign } from './training-data.js';

/** Everything a model is made of; `GlmmModel.fromFit` and `loadModel` assemble it. */
export interface ModelParts {
  readonly spec: ModelSpec;
  readonly encoding: ModelFrameEncoding;
  readonly plugins: ModelPlugins;
  readonly estimates: ModelEstimates;
  readonly summary: Omit<GlmmResults, 'diagnostics'>;
  /** The results contract as the fit built it; null for a model rebuilt from a file. */
  readonly results: GlmmResults | null;
  readonly data: TrainingData | null;
}

export interface FittedOptions {
  /** With the random effects at their BLUPs (default) or at 0. */
  readonly conditional?: boolean;
  /** Default 'response'. */
  readonly scale?: PredictionScale;
}

export interface ModelPredictOptions extends PredictOptions {
  /** Rows to predict (records, columns or a DataTable, e.g. from parseCsv); default: the rows the model was fitted to. */
  readonly data?: DataInput;
}

export interface ResidualOptions {
  /** Default as lme4: 'response' for linear mixed models, 'deviance' otherwise. */
  readonly type?: ResidualType;
  /** Residuals from the conditional (default) or the marginal fitted values. */
  readonly conditional?: boolean;
  /** Divide by sigma (lme4's scaled = TRUE; fitglme's Pearson residuals are scaled). Default false. */
  readonly scaled?: boolean;
}

export interface RefitOptions {
  readonly onProgress?: ProgressCallback;
  readonly signal?: AbortSignal;
}

/**
 * The results without their per-row diagnostics, which are not read: the
 * report builds them lazily, on first access, and most fits never need them.
 */
function withoutDiagnostics(results: GlmmResults): Omit<GlmmResults, 'diagnostics'> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(results)) if (key !== 'diagnostics') out[key] = (results as unknown as Record<string, unknown>)[key];
  return out as unknown as Omit<GlmmResults, 'diagnostics'>;
}

/** Seconds since `start` (performance.now()). */
const since = (start: number): number => (performance.now() - start) / 1000;

/**
 * A fitted generalized linear mixed model: the estimates, the frame's
 * encoding (to build X and Z for new data), the plugins, and, when at hand,
 * the rows it was fitted to.  Its methods follow lme4's and fitglme's:
 * fitted, predict, residuals, simulate, refit, designMatrix; `results` is
 * the results contract of the fit.  A model loaded from a file holds the
 * design of its rows (unless saved without) but not the response: methods
 * that need the response say so and name the option that supplies it.
 */
export class GlmmModel implements FittedModelView {
  readonly spec: ModelSpec;
  readonly encoding: ModelFrameEncoding;
  readonly plugins: ModelPlugins;
  readonly estimates: ModelEstimates;
  readonly summary: Omit<GlmmResults, 'diagnostics'>;
  private readonly data: TrainingData | null;
  private builtResults: GlmmResults | null;

  constructor(parts: ModelParts) {
    this.spec = parts.spec;
    this.encoding = parts.encoding;
    this.plugins = parts.plugins;
    this.estimates = parts.estimates;
    this.summary = parts.summary;
    this.data = parts.data;
    this.builtResults = parts.results;
  }

  /** The model of an estimator's fit of `model` (the results built here unless given). */
  static fromFit(args: {
    spec: ModelSpec;
    encoding: ModelFrameEncoding;
    plugins: ModelPlugins;
    model: ModelMatrices;
    design: TrainingDesign;
    raw: RawFit;
    results: GlmmResults;
    source: TrainingData['source'];
  }): GlmmModel {
    const summary = withoutDiagnostics(args.results);
    return new GlmmModel({
      spec: args.spec,
      encoding: args.encoding,
      plugins: args.plugins,
      estimates: estimatesOf(args.raw, args.model, args.plugins.covariances),
      summary,
      results: args.results,
      data: { design: args.design, response: args.model.y, source: args.source },
    });
  }

  // FittedModelView.
  get formula(): string {
    return this.encoding.formula;
  }
  get familyName(): string {
    return this.plugins.family.name;
  }
  get linkName(): string {
    return this.plugins.link.name;
  }
  get methodName(): string {
    return this.plugins.estimator.name;
  }
  get nAGQ(): number {
    return this.estimates.nAGQ;
  }
  get nobs(): number {
    return this.summary.nobs;
  }
  get fixedNames(): readonly string[] {
    return this.encoding.fixedNames;
  }
  get beta(): Float64Array {
    return this.estimates.beta;
  }
  get vcov(): Float64Array {
    return this.estimates.vcov;
  }
  get theta(): Float64Array {
    return this.estimates.theta;
  }
  get sigma(): number {
    return this.estimates.sigma;
  }
  get dispersion(): number {
    return this.estimates.dispersion;
  }
  get logLik(): number {
    return this.estimates.logLik;
  }
  get df(): number {
    return this.estimates.df;
  }
  get fixedTerms(): readonly FixedTermInfo[] {
    return this.encoding.fixedTerms;
  }
  get randomTerms(): readonly RandomTermInfo[] {
    return this.estimates.terms;
  }
  /** Whether the model holds the response it was fitted to (profile intervals, residuals and the diagnostics need it). */
  get hasData(): boolean {
    return this.data?.response != null;
  }
  /** Whether the model holds the design of its rows (simulate, refit and the bootstrap need it). */
  get hasDesign(): boolean {
    return this.data !== null;
  }
  /** The training rows, for saving. */
  get trainingData(): TrainingData | null {
    return this.data;
  }

  /** The results contract; needs the response for its per-row diagnostics. */
  get results(): GlmmResults {
    if (this.builtResults) return this.builtResults;
    const model = this.trainingModel('the results with per-row diagnostics');
    const eta = this.linearPredictor(true);
    const fitted = this.plugins.link.linkinv(eta, new Float64Array(model.n));
    const raw = this.rawFitLike(eta, fitted, model);
    // As a fit's own results: JSON.stringify gives the contract, per-row diagnostics only when asked for inline.
    this.builtResults = withJsonContract({ ...this.summary, diagnostics: buildDiagnostics(raw, model) });
    return this.builtResults;
  }

  estimator(): Estimator {
    return this.plugins.estimator;
  }

  /** The estimator's problem for the training data (needs the response). */
  problem(options: RefitOptions = {}): FitProblem {
    return this.problemFor(this.trainingModel('the estimation problem'), options);
  }

  /** Fitted values on the rows the model was fitted to. */
  fitted(options: FittedOptions = {}): Float64Array {
    return this.predict({ conditional: options.conditional ?? true, scale: options.scale ?? 'response' }).fit;
  }

  /**
   * Predictions on new data, or on the rows the model was fitted to (see
   * PredictOptions).  New data need the predictors (and the grouping
   * columns for conditional predictions), not the response; a grouping
   * level the fit did not see gets a random effect of 0 and is flagged, a
   * level of a categorical predictor it did not see is an error.
   */
  predict(options: ModelPredictOptions = {}): Prediction {
    const conditional = options.conditional ?? true;
    const needTerms = conditional || options.interval === 'prediction';
    let design: PredictionDesign;
    if (options.data !== undefined) {
      const d = newDataDesign(this.encoding, options.data, { randomEffects: conditional ? 'full' : needTerms ? 'columns' : 'none' });
      design = { n: d.n, nrows: d.nrows, rows: d.usedRows, X: d.X, offset: d.offset, terms: needTerms ? d.terms : null, excluded: d.excluded };
    } else {
      const t = this.trainingDesign('predictions on the training rows (pass new data to predict elsewhere)');
      design = {
        n: t.n,
        nrows: t.n + t.excluded.count,
        rows: t.usedRows,
        X: t.X,
        offset: t.offset,
        terms: t.terms,
        excluded: t.excluded,
      };
    }
    return predictDesign(design, this.estimates, this.plugins.link, { ...options, conditional });
  }

  /** Residuals on the rows the model was fitted to (needs the response). */
  residuals(options: ResidualOptions = {}): Float64Array {
    const type = options.type ?? (this.estimates.nAGQ === 0 ? 'response' : 'deviance');
    if (!RESIDUAL_TYPES.includes(type)) throw new GlmmInputError(`residual type must be one of ${RESIDUAL_TYPES.join(', ')}, got "${String(type)}"`);
    const model = this.trainingModel('residuals');
    const mu = this.fitted({ conditional: options.conditional ?? true, scale: 'response' });
    const r = residualsOf(model.y, mu, model.weights, this.fittedFamily, type);
    if (options.scaled) for (let i = 0; i < r.length; i++) r[i]! /= this.estimates.sigma;
    return r;
  }

  /** Simulated responses at the rows the model was fitted to (see SimulateOptions). */
  simulate(options: SimulateOptions = {}): Simulation {
    return simulateDesign(this.trainingDesign('simulate'), this.estimates, this.fittedFamily, this.plugins.link, options);
  }

  /** The family at the fit's estimate of its shape, if it had one (see fittedFamily). */
  private get fittedFamily(): Family {
    return fittedFamily(this.plugins.family, this.estimates.familyParameter);
  }

  /**
   * The same model fitted to a new response (one value per row used, on the
   * model's scale: proportions for a binomial model, as simulate() gives
   * them), starting from this model's estimates.
   */
  refit(response: ArrayLike<number>, options: RefitOptions = {}): GlmmModel {
    const design = this.trainingDesign('refit');
    return this.fitAgain(withResponse(design, response), this.plugins, options);
  }

  /** The model fitted again by another estimator, e.g. a REML fit by ML for a likelihood-ratio test (needs the response). */
  withMethod(method: string, options: RefitOptions = {}): GlmmModel {
    const model = this.trainingModel(`refitting by ${method}`);
    const estimator = resolvePlugin(this.plugins.container, 'estimator', method.toLowerCase());
    const reason = estimator.supports(this.plugins.family, model, this.spec.options, this.plugins.link);
    if (reason) throw new GlmmInputError(`method "${method}" cannot fit this model: ${reason}`);
    return this.fitAgain(model, { ...this.plugins, estimator }, options, { ...this.spec, method: estimator.name });
  }

  /** X (dense, column-major) and Z (sparse CSC) of the rows the model was fitted to. */
  designMatrix(): DesignMatrices {
    const d = this.trainingDesign('designMatrix');
    return { n: d.n, p: d.p, X: Float64Array.from(d.X), fixedNames: this.encoding.fixedNames, ...sparseZ(d.terms, d.n) };
  }

  private fitAgain(model: ModelMatrices, plugins: ModelPlugins, options: RefitOptions, spec: ModelSpec = this.spec): GlmmModel {
    const problem = this.problemFor(model, options, plugins);
    const family = plugins.family;
    const reason = family.checkResponse(model.y, model.weights);
    if (reason) throw new GlmmInputError(`the new response is not valid for the ${family.name} family: ${reason}`);
    const start = performance.now();
    const { theta, beta, familyParameter } = this.estimates;
    const raw = fitProblem(plugins.estimator, problem, { theta, beta, parameter: familyParameter });
    const results = buildResults(raw, model, {
      formula: this.encoding.formula,
      family,
      link: plugins.link.name,
      fitSeconds: 0,
      confidenceLevel: spec.confidenceLevel,
    });
    results.timing.fitSeconds = since(start);
    const { y: _y, ...design } = model;
    void _y;
    return GlmmModel.fromFit({ spec, encoding: this.encoding, plugins, model, design, raw, results, source: this.data?.source ?? null });
  }

  private problemFor(model: ModelMatrices, options: RefitOptions, plugins: ModelPlugins = this.plugins): FitProblem {
    return {
      model,
      family: plugins.family,
      link: plugins.link,
      covariances: plugins.covariances,
      optimizers: plugins.optimizers,
      options: this.spec.options,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
  }

  private trainingDesign(what: string): TrainingDesign {
    if (!this.data) throw new ModelDataRequiredError(what, 'design');
    return this.data.design;
  }

  private trainingModel(what: string): ModelMatrices {
    if (!this.data?.response) throw new ModelDataRequiredError(what, 'response');
    return { ...this.data.design, y: this.data.response };
  }

  /** offset + X beta (+ Z b) on the training rows. */
  private linearPredictor(conditional: boolean): Float64Array {
    const d = this.trainingDesign('the linear predictor');
    const eta = fixedPart(d.X, d.n, this.estimates.beta, d.offset);
    if (conditional) d.terms.forEach((term, t) => addTerm(term, this.estimates.terms[t]!.modes, eta));
    return eta;
  }

  /** A RawFit with the per-row columns at the estimates, for the report's diagnostics of a rebuilt model. */
  private rawFitLike(eta: Float64Array, fitted: Float64Array, model: ModelMatrices): RawFit {
    const family = this.fittedFamily;
    const est = this.estimates;
    const residDeviance = residualsOf(model.y, fitted, model.weights, family, 'deviance');
    let conditionalDeviance = 0;
    for (let i = 0; i < residDeviance.length; i++) conditionalDeviance += residDeviance[i]! * residDeviance[i]!;
    return {
      method: est.method,
      nAGQ: est.nAGQ,
      beta: est.beta,
      vcovBeta: est.vcov,
      theta: est.theta,
      sigma: est.sigma,
      dispersion: est.dispersion,
      logLik: est.logLik,
      familyParameter: this.summary.familyParameter ?? null,
      df: est.df,
      remlCriterion: this.summary.fit.remlCriterion,
      conditionalDeviance,
      termCovariances: est.terms.map((t) => ({ group: t.group, columnNames: t.columnNames, covariance: t.covarianceMatrix, correlated: t.correlated })),
      modes: est.terms.map((t) => ({ group: t.group, columnNames: t.columnNames, levels: t.levels, values: t.modes, condSd: t.condSd })),
      eta,
      fitted,
      residResponse: residualsOf(model.y, fitted, model.weights, family, 'response'),
      residDeviance,
      residPearson: residualsOf(model.y, fitted, model.weights, family, 'pearson'),
      singular: this.summary.singular,
      convergence: this.summary.convergence,
      warnings: this.summary.warnings,
    };
  }
}
