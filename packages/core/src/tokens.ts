import type { ServiceIdentifier } from 'inversify';
import type { CovarianceStructure } from './covariance.js';
import type { Estimator } from './estimator.js';
import type { Family } from './family.js';
import type { Link } from './link.js';
import type { Optimizer } from './optimizer.js';
import type { Reporter } from './reporter.js';

/** Every kind of plugin and the interface it implements. */
export interface PluginKinds {
  family: Family;
  link: Link;
  estimator: Estimator;
  reporter: Reporter;
  optimizer: Optimizer;
  covariance: CovarianceStructure;
}

export type PluginKind = keyof PluginKinds;

export const PLUGIN_KINDS: readonly PluginKind[] = [
  'family',
  'link',
  'estimator',
  'reporter',
  'optimizer',
  'covariance',
];

/** Typed container tokens: `container.get(TOKENS.family, { name: 'binomial' })` is a Family. */
export const TOKENS: { readonly [K in PluginKind]: ServiceIdentifier<PluginKinds[K]> } = {
  family: Symbol.for('glmm.family'),
  link: Symbol.for('glmm.link'),
  estimator: Symbol.for('glmm.estimator'),
  reporter: Symbol.for('glmm.reporter'),
  optimizer: Symbol.for('glmm.optimizer'),
  covariance: Symbol.for('glmm.covariance'),
};
