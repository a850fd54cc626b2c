import type { GlmmModel } from '@glmm/model';
import { defaultContainer } from './default-container.js';
import type { FitRequest } from './fit-request.js';
import { fitModelWithContainer } from './fit-model-with-container.js';

/**
 * The library's main entry: formula + data -> a fitted model (GlmmModel),
 * whose `results` is the results contract, with the request's container or,
 * without one, every bundled plugin.
 */
export function fitModel(request: FitRequest): GlmmModel {
  return fitModelWithContainer(request.container ?? defaultContainer(), request);
}
