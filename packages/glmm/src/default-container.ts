import { createContainer, registerBundles, type Container, type PluginBundle } from '@glmm/core';
import { defaultBundles } from './default-bundles.js';

let shared: Container | null = null;

/** A new container with every bundled plugin, plus any extra bundles. */
export function createDefaultContainer(...extra: readonly PluginBundle[]): Container {
  return registerBundles(createContainer(...defaultBundles), ...extra);
}

/** The container `fitGlmm` uses when the request names none (built once). */
export function defaultContainer(): Container {
  shared ??= createDefaultContainer();
  return shared;
}
