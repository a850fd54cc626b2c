import 'reflect-metadata';

export type { Link, OpenInterval } from './link.js';
export { intervalWithin, linkStaysInMeanSpace, linkFitsFamily, isLinkAllowed, formatInterval } from './link-pairing.js';
export { resolveLink, resolveLinkForFamily, allowedLinkNames } from './resolve-link.js';
export type { Family, FamilyParameter, LatentVariance, ParameterDerivatives } from './family.js';
export type { RandomSource } from './random.js';
export type { CovarianceStructure } from './covariance.js';
export type { Optimizer, OptimizerOptions, OptimizerResult } from './optimizer.js';
export type { RandomTerm, ModelMatrices, ExcludedRow, ExclusionSummary } from './model.js';
export type { WarningCode, FitWarning } from './warnings.js';
export { GlmmInputError, PluginNotFoundError, FitAbortedError } from './errors.js';
export { nearestName, editDistance } from './nearest-name.js';
export type { FitStage, FitProgress, ProgressCallback } from './progress.js';
export type { RawFit, TermCovariance, TermModes, ConvergenceInfo, FamilyParameterEstimate } from './fit.js';
export type { ModelDeviance, DevianceLayout, DevianceState, LmmDeviancePieces, FitStart } from './deviance.js';
export { lmmDevianceAtSigma } from './deviance.js';
export { isCanonicalPair, isLinearMixedModel } from './capabilities.js';
export { DEFAULT_FIT_OPTIONS } from './estimator.js';
export type { Estimator, FitOptions, FitProblem } from './estimator.js';
export type {
  GlmmResults,
  FixedEffectRow,
  VarianceComponentRow,
  IccRow,
  RandomEffectRow,
  FitStatistics,
  Diagnostics,
  DiagnosticsOutput,
  Timing,
} from './results.js';
export type { Reporter, ReportContext, ReportRows } from './reporter.js';
export { TOKENS, PLUGIN_KINDS } from './tokens.js';
export type { PluginKind, PluginKinds } from './tokens.js';
export { definePlugin, defineBundle } from './plugin.js';
export type { Plugin, PluginBundle } from './plugin.js';
export {
  createContainer,
  registerBundles,
  registerPlugin,
  resolvePlugin,
  listPlugins,
  listBundles,
} from './container.js';
export type { Container } from './container.js';
