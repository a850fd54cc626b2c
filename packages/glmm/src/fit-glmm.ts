import type { GlmmResults } from '@glmm/core';
import { defaultContainer } from './default-container.js';
import type { FitRequest } from './fit-request.js';
import { fitWithContainer } from './fit-with-container.js';

/**
 * The library's main entry for results: formula + data -> results contract
 * (fitModel(request).results without the model object), with the request's
 * container or, without one, every bundled plugin.  The fit runs in lme4's
 * stages (see fitOutcome).
 */
export function fitGlmm(request: FitRequest): GlmmResults {
  return fitWithContainer(request.container ?? defaultContainer(), request);
}

export type { Container } from '@glmm/core';
