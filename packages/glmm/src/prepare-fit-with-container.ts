import {
  DEFAULT_FIT_OPTIONS,
  FitAbortedError,
  GlmmInputError,
  listPlugins,
  resolveLinkForFamily,
  resolvePlugin,
  type Container,
  type Estimator,
  type Family,
  type FitOptions,
  type FitProblem,
  type Link,
  type ModelMatrices,
} from '@glmm/core';
import { buildModelFrame, toDataTable, type DataTable, type ModelFrameEncoding } from '@glmm/formula';
import type { FitRequest } from './fit-request.js';

/** A request resolved against the container: the estimator and the problem it is given (lme4's lFormula). */
export interface PreparedFit {
  readonly problem: FitProblem;
  readonly estimator: Estimator;
  /** The method name as resolved ("reml", "laplace", ...). */
  readonly method: string;
  /** How the frame was built from the data (levels, codings, terms): what a model object needs to build X and Z for new data. */
  readonly encoding: ModelFrameEncoding;
  /** The request's data as a table. */
  readonly source: DataTable;
}

/**
 * The first stage of every fit (lme4's lFormula): resolves the family, link,
 * estimator, covariance structures and optimisers by name from `container`,
 * builds the model frame and checks the request, so a host app that
 * registered only some plugins gets an error naming what is loaded when it
 * asks for another.  This module imports no plugin, so the browser entry
 * @glmm/glmm/base carries only those an app registers.  `designStorage`
 * lends memory for X (see withSharedDesignStorage); without it X is the
 * problem's own, so the problem may outlive the call.
 */
export function prepareFitWithContainer(
  container: Container,
  request: FitRequest,
  designStorage?: (length: number) => Float64Array,
): PreparedFit {
  const family = resolvePlugin(container, 'family', (request.family ?? 'gaussian').toLowerCase());
  const link = resolveLinkForFamily(container, family, request.link);
  const options = resolveOptions(request.options);
  const requested = request.method?.toLowerCase();
  if (requested) resolvePlugin(container, 'estimator', requested);
  request.onProgress?.({ stage: 'model-frame' });
  if (request.signal?.aborted) throw new FitAbortedError(request.signal.reason);
  const source = toDataTable(request.data);
  const { model, encoding } = buildModelFrame(request.formula, source, {
    ...(request.categorical ? { categorical: request.categorical } : {}),
    ...(request.intercept !== undefined ? { intercept: request.intercept } : {}),
    ...(request.weights ? { weights: request.weights } : {}),
    ...(request.offset ? { offset: request.offset } : {}),
    ...(request.coding !== undefined ? { coding: request.coding } : {}),
    ...(request.exclude !== undefined ? { exclude: request.exclude } : {}),
    ...(designStorage ? { designStorage } : {}),
  });
  if (request.weights) checkWeights(model, request.weights);
  checkResponse(model, family, family.checkResponse(model.y, model.weights));
  if (model.terms.length === 0)
    throw new GlmmInputError(`formula "${request.formula}" has no random-effects term such as (1 | group); fit a GLM instead`);
  request.onProgress?.({ stage: 'model-frame', rowsScanned: model.n });
  const { estimator, method } = chooseEstimator(container, requested, family, link, model, options);
  const reason = estimator.supports(family, model, options, link);
  if (reason) throw new GlmmInputError(`method "${method}" cannot fit this model: ${reason}`);
  const covariances = model.terms.map((t) => resolvePlugin(container, 'covariance', request.covariance?.[t.group] ?? t.covariance));
  for (const group of Object.keys(request.covariance ?? {}))
    if (!model.terms.some((t) => t.group === group))
      throw new GlmmInputError(
        `covariance given for "${group}", which is not a grouping factor of the model; grouping factors: ${[...new Set(model.terms.map((t) => t.group))].join(', ')}`,
      );
  const optimizers = listPlugins(container, 'optimizer').map((name) => resolvePlugin(container, 'optimizer', name));
  const problem: FitProblem = {
    model,
    family,
    link,
    covariances,
    optimizers,
    options,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  };
  return { problem, estimator, method, encoding, source };
}

/**
 * The estimator asked for, or by default the first of REML, then Laplace
 * (AGQ when nAGQ > 1), that supports the family and link: lme4's choice
 * between lmer and glmer, made from the estimators' own `supports`.
 */
function chooseEstimator(
  container: Container,
  requested: string | undefined,
  family: Family,
  link: Link,
  model: ModelMatrices,
  options: FitOptions,
): { estimator: Estimator; method: string } {
  if (requested) return { estimator: resolvePlugin(container, 'estimator', requested), method: requested };
  const candidates = ['reml', options.nAGQ > 1 ? 'agq' : 'laplace'];
  const loaded = new Set(listPlugins(container, 'estimator'));
  for (const name of candidates) {
    if (!loaded.has(name)) continue;
    const estimator = resolvePlugin(container, 'estimator', name);
    if (estimator.supports(family, model, options, link) === null) return { estimator, method: name };
  }
  // None fits: the GLMM estimator's reason is the most specific.
  const name = [...candidates].reverse().find((c) => loaded.has(c)) ?? candidates[candidates.length - 1]!;
  return { estimator: resolvePlugin(container, 'estimator', name), method: name };
}

function resolveOptions(partial: Partial<FitOptions> | undefined): FitOptions {
  const o = { ...DEFAULT_FIT_OPTIONS, ...partial };
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  if (!positiveInt(o.maxIterations)) throw new GlmmInputError(`maxIterations must be a positive integer, got ${o.maxIterations}`);
  if (!positiveInt(o.maxEvaluations)) throw new GlmmInputError(`maxEvaluations must be a positive integer, got ${o.maxEvaluations}`);
  if (!(o.tolerance > 0 && o.tolerance < 1)) throw new GlmmInputError(`tolerance must be in (0, 1), got ${o.tolerance}`);
  if (!positiveInt(o.nAGQ) || o.nAGQ > 100) throw new GlmmInputError(`nAGQ must be an integer in 1..100, got ${o.nAGQ}`);
  if (o.dispersion !== undefined && o.dispersion !== 'moment' && o.dispersion !== 'ml')
    throw new GlmmInputError(`dispersion must be "moment" or "ml", got "${String(o.dispersion)}"`);
  return o;
}

/** Prior weights must be positive: a zero weight would give a row infinite variance (exclude the row instead). */
function checkWeights(model: ModelMatrices, column: string): void {
  let bad = 0;
  let first = -1;
  for (let r = 0; r < model.n; r++) {
    const prior = model.weights[r]! / model.trials[r]!;
    if (!(prior > 0)) {
      bad++;
      if (first < 0) first = r;
    }
  }
  if (bad > 0)
    throw new GlmmInputError(
      `weights column "${column}" has ${bad} of ${model.n} rows that are not positive (first at row ${model.usedRows[first]! + 1}); prior weights must be > 0, so drop those rows to exclude them`,
    );
}

function checkResponse(model: ModelMatrices, family: Family, problem: string | null): void {
  if (!problem) return;
  // Only on the error path: test rows one at a time to say how many are invalid.
  let bad = 0;
  let first = -1;
  for (let r = 0; r < model.n; r++) {
    if (family.checkResponse(model.y.subarray(r, r + 1), model.weights.subarray(r, r + 1)) !== null) {
      bad++;
      if (first < 0) first = r;
    }
  }
  const where = first >= 0 ? `${bad} of ${model.n} rows (first at row ${model.usedRows[first]! + 1})` : `${model.n} rows`;
  throw new GlmmInputError(`response "${model.responseName}" is not valid for the ${family.name} family in ${where}: ${problem}`);
}

