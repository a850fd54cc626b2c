import type { GlmmResults } from '@glmm/core';
import { defaultContainer } from './default-container.js';
import type { FitRequest } from './fit-request.js';
import { fitWithContainer } from './fit-with-container.js';

/**
 * formula + data -> results contract: fitModel(request).results without the
 * model object, with the request's container or, without one, every bundled
 * plugin.
 */
export function fitGlmm(request: FitRequest): GlmmResults {
  return fitWithContainer(request.container ?? defaultContainer(), request);
}

export type { Container } from '@glmm/core';
