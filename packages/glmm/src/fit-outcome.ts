import {
  DEFAULT_FIT_OPTIONS,
  GlmmInputError,
  listPlugins,
  resolvePlugin,
  type Container,
  type Family,
  type FitOptions,
  type GlmmResults,
  type ModelMatrices,
  type RawFit,
} from '@glmm/core';
import { buildModelFrame, toDataTable, type DataTable, type ModelFrameEncoding } from '@glmm/formula';
import type { ModelPlugins, ModelSpec } from '@glmm/model';
import { buildResults } from '@glmm/report';
import type { FitRequest } from './fit-request.js';

/** What one fit of a request produces: the results and everything a model object is built from. */
export interface FitOutcome {
  readonly spec: ModelSpec;
  readonly encoding: ModelFrameEncoding;
  readonly plugins: ModelPlugins;
  readonly model: ModelMatrices;
  readonly raw: RawFit;
  readonly results: GlmmResults;
  readonly source: DataTable;
}

/**
 * Formula + data -> fit, with the plugins of `container`: the family, link,
 * estimator, covariance structures and optimisers are resolved by name, so a
 * host app that registered only some plugins gets an error naming what is
 * loaded when it asks for another.  This module imports no plugin and not
 * the model object (whose refits reach into the bundled estimators), so
 * `fitWithContainer` in @glmm/glmm/base carries only the plugins an app
 * registers.  With `designStorage` X is written there (see BuildOptions).
 */
export function fitOutcome(
  container: Container,
  request: FitRequest,
  designStorage: ((length: number) => Float64Array) | undefined,
): FitOutcome {
  const familyName = (request.family ?? 'gaussian').toLowerCase();
  const family = resolvePlugin(container, 'family', familyName);
  const linkName = (request.link ?? family.canonicalLink).toLowerCase();
  const link = resolvePlugin(container, 'link', linkName);
  if (!family.allowedLinks.includes(link.name))
    throw new GlmmInputError(
      `link "${link.name}" is not available for the ${family.name} family; allowed links: ${family.allowedLinks.join(', ')}`,
    );
  const options = resolveOptions(request.options);
  const methodName = (request.method ?? (family.name === 'gaussian' ? 'reml' : options.nAGQ > 1 ? 'agq' : 'laplace')).toLowerCase();
  const estimator = resolvePlugin(container, 'estimator', methodName);

  // timing.fitSeconds covers what lme4's system.time(lmer(...)) covers: model
  // frame, estimation and the results, with the data already in memory.
  const start = performance.now();
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
  const reason = estimator.supports(family, model, options);
  if (reason) throw new GlmmInputError(`method "${methodName}" cannot fit this model: ${reason}`);
  const covariances = model.terms.map((t) => resolvePlugin(container, 'covariance', request.covariance?.[t.group] ?? t.covariance));
  for (const group of Object.keys(request.covariance ?? {}))
    if (!model.terms.some((t) => t.group === group))
      throw new GlmmInputError(
        `covariance given for "${group}", which is not a grouping factor of the model; grouping factors: ${[...new Set(model.terms.map((t) => t.group))].join(', ')}`,
      );
  const optimizers = listPlugins(container, 'optimizer').map((name) => resolvePlugin(container, 'optimizer', name));
  const plugins: ModelPlugins = { container, family, link, estimator, covariances, optimizers };

  // A fit from a request is a cold start, so the estimator is called directly (@glmm/model's fitProblem adds only the warm start of refits).
  const raw = estimator.fit({
    model,
    family,
    link,
    covariances,
    optimizers,
    options,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const confidenceLevel = request.confidenceLevel ?? 0.95;
  const results = buildResults(raw, model, {
    formula: request.formula,
    family,
    link: link.name,
    fitSeconds: 0,
    ...(request.confidenceLevel !== undefined ? { confidenceLevel } : {}),
  });
  results.timing.fitSeconds = (performance.now() - start) / 1000;
  const spec: ModelSpec = {
    family: family.name,
    link: link.name,
    method: estimator.name,
    options,
    covariances: covariances.map((c) => c.name),
    confidenceLevel,
  };
  return { spec, encoding, plugins, model, raw, results, source };
}

function resolveOptions(partial: Partial<FitOptions> | undefined): FitOptions {
  const o = { ...DEFAULT_FIT_OPTIONS, ...partial };
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  if (!positiveInt(o.maxIterations)) throw new GlmmInputError(`maxIterations must be a positive integer, got ${o.maxIterations}`);
  if (!positiveInt(o.maxEvaluations)) throw new GlmmInputError(`maxEvaluations must be a positive integer, got ${o.maxEvaluations}`);
  if (!(o.tolerance > 0 && o.tolerance < 1)) throw new GlmmInputError(`tolerance must be in (0, 1), got ${o.tolerance}`);
  if (!positiveInt(o.nAGQ) || o.nAGQ > 100) throw new GlmmInputError(`nAGQ must be an integer in 1..100, got ${o.nAGQ}`);
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
