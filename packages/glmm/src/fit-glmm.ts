import type { GlmmResults } from '@glmm/core';
import { withSharedDesignStorage } from '@glmm/formula';
import { buildResults } from '@glmm/report';
import type { FitRequest } from './fit-request.js';
import { prepareFit } from './prepare-fit.js';

/**
 * The library's main entry: formula + data -> results contract, in lme4's
 * stages: the problem (prepareFit), the estimator's fit (deviance, search,
 * finalisation), the results.
 */
export function fitGlmm(request: FitRequest): GlmmResults {
  // timing.fitSeconds covers what lme4's system.time(lmer(...)) covers: model
  // frame, estimation and the results, with the data already in memory.
  const start = performance.now();
  // X is needed only until the results are built, so successive fits write it into the same memory.
  const results = withSharedDesignStorage((designStorage) => {
    const { problem, estimator } = prepareFit(request, designStorage);
    const raw = estimator.fit(problem);
    return buildResults(raw, problem.model, {
      formula: request.formula,
      family: problem.family,
      link: problem.link.name,
      fitSeconds: 0,
      ...(request.confidenceLevel !== undefined ? { confidenceLevel: request.confidenceLevel } : {}),
    });
  });
  results.timing.fitSeconds = (performance.now() - start) / 1000;
  return results;
}

export type { Container } from '@glmm/core';
