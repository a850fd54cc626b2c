import { defaultContainer } from './default-container.js';
import type { FitRequest } from './fit-request.js';
import { prepareFitWithContainer, type PreparedFit } from './prepare-fit-with-container.js';

/**
 * lme4's lFormula: the request resolved against its container (default:
 * every bundled plugin) into the problem an estimator is given, the model
 * frame built and checked.  See prepareFitWithContainer.
 */
export function prepareFit(request: FitRequest, designStorage?: (length: number) => Float64Array): PreparedFit {
  return prepareFitWithContainer(request.container ?? defaultContainer(), request, designStorage);
}

export type { PreparedFit };
