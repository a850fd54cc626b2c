import type { Estimator } from '@glmm/core';
import { fitPseudoLikelihood } from './pseudo-likelihood-fit.js';
import { PSEUDO_LIKELIHOOD_SPECS, resolveSettings, type PseudoLikelihoodMethod, type PseudoLikelihoodSettings } from './pseudo-likelihood-method.js';

/**
 * An estimator plugin for one pseudo-likelihood method.  The bundle
 * registers the three with their defaults; a host app that wants fitglme's
 * DispersionFlag, PLIterations, PLTolerance or MuStart registers its own:
 *
 *   definePlugin('estimator', 'mpl-dispersion', createPseudoLikelihoodEstimator('MPL', { dispersionFlag: true }))
 */
export function createPseudoLikelihoodEstimator(method: PseudoLikelihoodMethod, settings: PseudoLikelihoodSettings = {}): Estimator {
  const spec = PSEUDO_LIKELIHOOD_SPECS[method];
  return {
    name: method.toLowerCase(),
    // Any family and link: the iteration only needs the plugins' variance, linkinv and dmu/deta;
    // but a distribution parameter the family cannot do without (a negative binomial's shape) it does not estimate.
    supports(family, model) {
      if (model.terms.length === 0) return 'the model has no random-effects term';
      if (family.parameter?.required)
        return `pseudo-likelihood does not estimate the ${family.name} family's ${family.parameter.name}; use method "laplace"`;
      return null;
    },
    fit(problem) {
      return fitPseudoLikelihood(problem, resolveSettings(spec, settings, problem.family, problem.options));
    },
  };
}
