import { defineBundle, definePlugin } from '@glmm/core';
import { createLaplaceEstimator } from './laplace-estimator.js';

export { createLaplaceEstimator };
export { GlmResponse, glmStartingBeta } from '@glmm/engine';
export { Pirls } from './pirls.js';
export type { PirlsOutcome } from './pirls.js';
export { LaplaceObjective } from './laplace-objective.js';
export { LaplaceDeviance } from './laplace-deviance.js';
export type { LaplaceMode } from './laplace-deviance.js';
export { selectKernel } from './laplace-kernel.js';
export type { LaplaceKernel, ModeGradient } from './laplace-kernel.js';
export { gaussHermite } from './gauss-hermite.js';
export type { QuadratureRule } from './gauss-hermite.js';
export { finiteDifferenceHessian } from './hessian.js';
export { ScalarTermGradient } from './scalar-term-gradient.js';

export const laplaceEstimator = createLaplaceEstimator('laplace');
export const agqEstimator = createLaplaceEstimator('agq');

export const estimatorLaplaceBundle = defineBundle('@glmm/estimator-laplace', [
  definePlugin('estimator', 'laplace', laplaceEstimator),
  definePlugin('estimator', 'agq', agqEstimator),
]);
export { GroupedLaplace } from './grouped-laplace.js';
export { fusedGlm } from './fused-glm.js';
export type { FusedGlmFit } from './fused-glm.js';
export { ScalarTermsGradient, solveScalarPattern } from './scalar-terms-gradient.js';
export type { ScalarTermsGradientOptions } from './scalar-terms-gradient.js';
export { momentThetaStart } from './moment-start.js';
