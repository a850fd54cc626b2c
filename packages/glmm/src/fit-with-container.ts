import type { Container, GlmmResults } from '@glmm/core';
import { withSharedDesignStorage } from '@glmm/formula';
import { fitOutcome } from './fit-outcome.js';
import type { FitRequest } from './fit-request.js';

/**
 * Formula + data -> results contract, with the plugins of `container` only
 * (`@glmm/glmm/base`: a bundle of an app that registers a few carries only
 * those).  X is written into memory shared between successive fits, since
 * it is needed only until the results are built.  `fitGlmm` is this with
 * the default container.
 */
export function fitWithContainer(container: Container, request: FitRequest): GlmmResults {
  return withSharedDesignStorage((designStorage) => fitOutcome(container, request, designStorage).results);
}

export type { Container };
