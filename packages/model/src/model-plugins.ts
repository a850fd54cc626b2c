import {
  listPlugins,
  resolvePlugin,
  type Container,
  type CovarianceStructure,
  type Estimator,
  type Family,
  type Link,
  type Optimizer,
} from '@glmm/core';
import type { ModelSpec } from './model-spec.js';

/** The plugins a model was fitted with, resolved from a container by the names in its spec. */
export interface ModelPlugins {
  readonly container: Container;
  readonly family: Family;
  readonly link: Link;
  readonly estimator: Estimator;
  /** Index-aligned with the model's random-effects terms. */
  readonly covariances: readonly CovarianceStructure[];
  readonly optimizers: readonly Optimizer[];
}

/** Resolves a spec's plugins; a missing one is an error listing those loaded. */
export function resolveModelPlugins(container: Container, spec: ModelSpec): ModelPlugins {
  return {
    container,
    family: resolvePlugin(container, 'family', spec.family),
    link: resolvePlugin(container, 'link', spec.link),
    estimator: resolvePlugin(container, 'estimator', spec.method),
    covariances: spec.covariances.map((name) => resolvePlugin(container, 'covariance', name)),
    optimizers: listPlugins(container, 'optimizer').map((name) => resolvePlugin(container, 'optimizer', name)),
  };
}
