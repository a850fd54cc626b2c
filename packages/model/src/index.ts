export { fitProblem, lmmDeviance, glmmDeviance, lmmReason } from './estimation-adapter.js';
export type { WarmStart, LmmDevianceTerms, LmmDevianceFunction, GlmmDevianceFunction } from './estimation-adapter.js';
export type { FittedModelView, FixedTermInfo, RandomTermInfo } from './model-view.js';
