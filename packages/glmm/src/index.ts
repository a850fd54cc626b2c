/**
 * @glmm/glmm: fitGlmm and fitModel with every bundled plugin.  Imports
 * nothing Node-only, so it bundles for a browser or a web worker; Node adds
 * file reading (@glmm/glmm/node, which Node resolves for '@glmm/glmm' itself).
 */
export * from './base.js';
export { fitGlmm } from './fit-glmm.js';
export { fitModel } from './fit-model.js';
export { prepareFit } from './prepare-fit.js';
export { createModelDeviance } from './model-deviance.js';
export type { ModelDevianceOf } from './model-deviance.js';
export { loadModel } from './load-model.js';
export { GlmmModel, saveModel, ModelDataRequiredError } from '@glmm/model';
export type { Prediction, PredictOptions, Simulation, SimulateOptions, ResidualType, DesignMatrices, SparseMatrixCSC, ModelFile } from '@glmm/model';
export { defaultBundles } from './default-bundles.js';
export { createDefaultContainer, defaultContainer } from './default-container.js';
