import type { Container, FitOptions, GlmmResults, ModelMatrices, RawFit } from '@glmm/core';
import type { DataTable, ModelFrameEncoding } from '@glmm/formula';
import type { ModelPlugins, ModelSpec } from '@glmm/model';
import { buildResults } from '@glmm/report';
import type { FitRequest } from './fit-request.js';
import { prepareFitWithContainer } from './prepare-fit-with-container.js';

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
 * Formula + data -> fit, with the plugins of `container`, in lme4's stages:
 * the problem (prepareFitWithContainer: lFormula), the estimator's fit
 * (deviance, search, finalisation), the results.  Every entry (fitGlmm,
 * fitModel, fitWithContainer, fitModelWithContainer) fits through here.
 * This module imports no plugin and not the model object, so
 * `fitWithContainer` in @glmm/glmm/base carries only the plugins an app
 * registers.  With `designStorage` X is written there (see BuildOptions).
 */
export function fitOutcome(
  container: Container,
  request: FitRequest,
  designStorage: ((length: number) => Float64Array) | undefined,
): FitOutcome {
  // timing.fitSeconds covers what lme4's system.time(lmer(...)) covers: model
  // frame, estimation and the results, with the data already in memory.
  const start = performance.now();
  const { problem, estimator, encoding, source } = prepareFitWithContainer(container, request, designStorage);
  const raw = estimator.fit(problem);
  const { model, family, link, covariances, optimizers, options } = problem;
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
    options: savedOptions(options),
    covariances: covariances.map((c) => c.name),
    confidenceLevel,
  };
  const plugins: ModelPlugins = { container, family, link, estimator, covariances, optimizers };
  return { spec, encoding, plugins, model, raw, results, source };
}

/** The options a model keeps and saves: a warm start belongs to one fit, not to the model. */
function savedOptions(options: FitOptions): FitOptions {
  const { start: _start, ...kept } = options;
  void _start;
  return kept;
}
