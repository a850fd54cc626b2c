import { defineBundle, definePlugin } from '@glmm/core';
import { createPseudoLikelihoodEstimator } from './pseudo-likelihood-estimator.js';

export { createPseudoLikelihoodEstimator };
export { fitPseudoLikelihood } from './pseudo-likelihood-fit.js';
export { MPL, PQL, REMPL, PSEUDO_LIKELIHOOD_SPECS, resolveSettings } from './pseudo-likelihood-method.js';
export type { PseudoLikelihoodMethod, PseudoLikelihoodSettings, PseudoLikelihoodSpec, ResolvedSettings } from './pseudo-likelihood-method.js';
export { WorkingResponse } from './working-response.js';
export { WorkingLmm, fitWorkingLmm, workingDeviance } from './working-lmm.js';
export type { WorkingLmmCriterion, WorkingLmmFit, WorkingLmmSearch, WorkingLmmSolution } from './working-lmm.js';
export { fitGlmStart } from './glm-start.js';
export { glmmPqlRule, relativeEtaRule } from './stopping-rule.js';
export type { StoppingRule } from './stopping-rule.js';

/** MASS's glmmPQL. */
export const pqlEstimator = createPseudoLikelihoodEstimator('PQL');
/** fitglme's 'MPL'. */
export const mplEstimator = createPseudoLikelihoodEstimator('MPL');
/** fitglme's 'REMPL'. */
export const remplEstimator = createPseudoLikelihoodEstimator('REMPL');

export const estimatorPqlBundle = defineBundle('@glmm/estimator-pql', [
  definePlugin('estimator', 'pql', pqlEstimator),
  definePlugin('estimator', 'mpl', mplEstimator),
  definePlugin('estimator', 'rempl', remplEstimator),
]);
