import { readFileSync, statSync } from 'node:fs';
import { GlmmInputError, PluginNotFoundError, type Container } from '@glmm/core';
import type { DataTable } from '@glmm/formula';
import { loadModel, type GlmmModel } from '@glmm/glmm';

/**
 * Reads a model saved by `glmm fit --save`, its plugins resolved from the
 * container; with `data` (the data it was fitted to, see dataOption) the
 * methods that need the response work too.  Every failure is one input-error line.
 */
export function readModelFile(path: string, container: Container, data?: DataTable): GlmmModel {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new GlmmInputError(`model file "${path}" is a directory, not a JSON file`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof GlmmInputError) throw err;
    const code = (err as NodeJS.ErrnoException | null)?.code;
    throw new GlmmInputError(`cannot read model file "${path}": ${code === 'ENOENT' ? 'no such file or directory' : err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return loadModel(text, data === undefined ? { container } : { container, data });
  } catch (err) {
    // Name the file on problems with the file itself, as the read errors above do.
    // A model fitted with a plugin (glmm fit --plugin) names it; the same --plugin loads it again.
    if (err instanceof PluginNotFoundError)
      throw new GlmmInputError(`model file "${path}" was fitted with a plugin not loaded here: ${err.message}; load it with --plugin FILE.js|PACKAGE`);
    if (err instanceof GlmmInputError && /^model file|^not a glmm model file/.test(err.message))
      throw new GlmmInputError(`model file "${path}": ${err.message.replace(/^model file:?\s*/, '')}`);
    throw err;
  }
}
