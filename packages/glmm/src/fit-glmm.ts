import type { GlmmResults } from '@glmm/core';
import { withSharedDesignStorage } from '@glmm/formula';
import { fitModelWith } from './fit-model.js';
import type { FitRequest } from './fit-request.js';

/**
 * formula + data -> results contract: fitModel(request).results, with X
 * written into memory shared between successive fits (the model object,
 * which would hold it, is dropped), since X is needed only until the
 * results are built.
 */
export function fitGlmm(request: FitRequest): GlmmResults {
  return withSharedDesignStorage((designStorage) => fitModelWith(request, designStorage).results);
}

export type { Container } from '@glmm/core';
