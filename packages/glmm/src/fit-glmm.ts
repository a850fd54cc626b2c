import type { GlmmResults } from '@glmm/core';
import { defaultContainer } from './default-container.js';
import type { FitRequest } from './fit-request.js';
import { fitWithContainer } from './fit-with-container.js';

/**
 * The library's main entry: formula + data -> results contract, with the
 * request's container or, without one, every bundled plugin.
 */
export function fitGlmm(request: FitRequest): GlmmResults {
  return fitWithContainer(request.container ?? defaultContainer(), request);
}
