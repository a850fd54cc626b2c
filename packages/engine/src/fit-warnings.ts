import type { FitWarning } from '@glmm/core';

export function singularFitWarning(): FitWarning {
  return {
    code: 'singular-fit',
    message: 'boundary (singular) fit: a random-effect variance is estimated at zero or a correlation at +-1',
    advice:
      'The data do not support this random-effects structure; consider removing the term with zero variance (or the correlation), or collecting more groups.',
  };
}

export function convergenceWarning(message: string): FitWarning {
  return {
    code: 'not-converged',
    message: `optimizer did not converge: ${message}`,
    advice:
      'Increase the maximum iterations/evaluations, relax the tolerance, rescale predictors with very different magnitudes, or simplify the random-effects structure.',
  };
}
