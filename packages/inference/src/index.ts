export type { DfMethod, DegreesOfFreedom } from './degrees-of-freedom.js';
export { DF_METHODS, dfMethodLabel, defaultDfMethod } from './degrees-of-freedom.js';
export type { LmmDeviance, LmmDevianceTerms } from './lmm-deviance.js';
export { devianceAtSigma, profiledDeviance } from './lmm-deviance.js';
export type { SatterthwaiteModel } from './satterthwaite.js';
export { satterthwaiteModel } from './satterthwaite.js';
export type { ContrastEstimate, ContrastFTest } from './contrast-test.js';
export { contrastT, contrastF, fStatisticDf } from './contrast-test.js';
export { tTwoSidedP, fUpperP, chiSquareUpperP, tQuantile } from './distributions.js';
export { centralDifferences } from './finite-differences.js';
export type { Differences, DifferenceOptions, VectorFunction } from './finite-differences.js';
export type { FrameEncodingLike, DesignLayout, LayoutTerm, LayoutVariable } from './design-layout.js';
export { designLayout } from './design-layout.js';
export type { TermHypothesis, AnovaType } from './hypotheses.js';
export { type3Hypotheses, marginalHypotheses, termHypotheses } from './hypotheses.js';
export type { AnovaRow, AnovaTable } from './anova.js';
export { anovaTable } from './anova.js';
export type { ParsedContrast } from './contrast-parser.js';
export { parseContrast } from './contrast-parser.js';
export type { CoefficientRow, CoefficientTable } from './coefficient-table.js';
export { coefficientTable, criticalValue } from './coefficient-table.js';
export type { TermModesLike, RandomEffectTestRow, RandomEffectsTable } from './random-effects-table.js';
export { randomEffectsTable } from './random-effects-table.js';
export type { CovarianceTermLike, CovarianceParameter, ParameterKind } from './covariance-parameters.js';
export { CovarianceParameters, covarianceTerms } from './covariance-parameters.js';
export type { LmmOptimum } from './lmm-optimum.js';
export { lmmOptimum } from './lmm-optimum.js';
export type { IntervalRow, IntervalTable, IntervalMethod } from './interval-table.js';
export type { GlmmDevianceLike, WaldVarpar } from './wald-intervals.js';
export { lmmWaldIntervals, glmmWaldIntervals, waldFixed, waldVarpar } from './wald-intervals.js';
export { lmmProfileIntervals } from './profile-intervals.js';
export type { ComparableModel, ComparedModel, ModelComparison } from './model-comparison.js';
export { compareModels, responseFingerprint } from './model-comparison.js';
export type { BootstrapOptions, BootstrapModel, BootstrapRow, BootstrapResult } from './bootstrap.js';
export { parametricBootstrap, normInter, replicateSeed } from './bootstrap.js';
export { waldFromVarparCovariance } from './variance-parameter-wald.js';
export type { InferenceModel, TestOptions, AnovaOptions, CoefTestResult, ConfintOptions } from './model-inference.js';
export {
  isLinearMixedModel,
  modelLmmDeviance,
  satterthwaiteOf,
  degreesOfFreedom,
  fixedEffectsTable,
  randomEffectsTests,
  coefCI,
  anova,
  coefTest,
  covarianceParametersOf,
  randomEffectScale,
  confint,
  comparableModel,
  compare,
  bootstrap,
  withDegreesOfFreedom,
} from './model-inference.js';
