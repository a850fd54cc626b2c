import type { Container } from '@glmm/core';
import type { DataInput } from '@glmm/formula';
import { loadModel as loadWith, type GlmmModel } from '@glmm/model';
import { defaultContainer } from './default-container.js';

/**
 * A saved model (JSON text or the parsed object) back as a GlmmModel, its
 * plugins resolved from the container (default: every bundled plugin).
 * With `data` (the data it was fitted to) residuals, diagnostics, profile
 * intervals and refits by another method work too.
 */
export function loadModel(json: string | unknown, options: { container?: Container; data?: DataInput } = {}): GlmmModel {
  return loadWith(json, { container: options.container ?? defaultContainer(), ...(options.data !== undefined ? { data: options.data } : {}) });
}
