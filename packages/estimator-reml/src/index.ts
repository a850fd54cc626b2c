import { defineBundle, definePlugin } from '@glmm/core';
import { createLmmEstimator } from './lmm-estimator.js';

export { LmmObjective } from './lmm-objective.js';
export type { LmmSolution, LmmOptimum } from './lmm-objective.js';
export { LmmDeviance } from './lmm-deviance.js';
export { createLmmEstimator };
export { lmmMomentStart } from './lmm-moment-start.js';
export { LmmDerivatives } from './lmm-derivatives.js';
export { LmmGeneralDerivatives } from './lmm-general-derivatives.js';

export const remlEstimator = createLmmEstimator(true);
export const mlEstimator = createLmmEstimator(false);

export const estimatorRemlBundle = defineBundle('@glmm/estimator-reml', [
  definePlugin('estimator', 'reml', remlEstimator),
  definePlugin('estimator', 'ml', mlEstimator),
]);
