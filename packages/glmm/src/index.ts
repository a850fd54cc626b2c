/**
 * @glmm/glmm: fitGlmm with every bundled plugin.  Imports nothing Node-only,
 * so it bundles for a browser or a web worker; Node adds file reading
 * (@glmm/glmm/node, which Node resolves for '@glmm/glmm' itself).
 */
export * from './base.js';
export { fitGlmm } from './fit-glmm.js';
export { defaultBundles } from './default-bundles.js';
export { createDefaultContainer, defaultContainer } from './default-container.js';
