import type { FitWarning } from '@glmm/core';
import type { PseudoLikelihoodMethod } from './pseudo-likelihood-method.js';

/**
 * Always attached to a pseudo-likelihood fit: its logLik is that of the
 * working linear mixed model of the last iteration, whose response is
 * built from the fit itself, so it is no likelihood of the data.
 */
export function pseudoLikelihoodNote(method: PseudoLikelihoodMethod, estimated: boolean): FitWarning {
  const kind = method === 'REMPL' ? 'restricted pseudo log-likelihood' : 'pseudo log-likelihood';
  return {
    code: 'pseudo-likelihood',
    message:
      `${method} fit: logLik, deviance, AIC and BIC are the ${kind} of the working linear mixed model at the last iteration, ` +
      `not a likelihood of the data; they are not comparable with Laplace or AGQ fits, nor between models with different working responses` +
      (estimated ? '; the dispersion is estimated from the working model' : '; the dispersion is fixed at 1'),
    advice:
      'Compare fixed effects by their Wald tests; for likelihood-ratio tests or information criteria refit by method "laplace" (or "agq").',
  };
}

export function notConvergedWarning(method: PseudoLikelihoodMethod, iterations: number, change: number, rule: string): FitWarning {
  return {
    code: 'not-converged',
    message: `${method}: the pseudo-likelihood iteration did not converge in ${iterations} iterations (last change ${change.toPrecision(3)}; wanted ${rule})`,
    advice:
      'Allow more iterations (--max-iter), check for separation or extreme counts, rescale predictors, or simplify the random effects; the Laplace method (--method laplace) does not iterate on a working response.',
  };
}

export function domainWarning(method: PseudoLikelihoodMethod, link: string, family: string): FitWarning {
  return {
    code: 'not-converged',
    message: `${method}: the linear predictor left the range of the ${link} link for the ${family} family and could not be brought back by halving the step; the fit stopped at the last valid iteration`,
    advice: `Use the family's canonical link, or a link whose range covers every linear predictor (e.g. log instead of identity for counts).`,
  };
}

export function workingModelWarning(method: PseudoLikelihoodMethod, iteration: number): FitWarning {
  return {
    code: 'not-converged',
    message: `${method}: the working linear mixed model of iteration ${iteration} is not positive definite; the fit stopped at iteration ${iteration - 1}`,
    advice: 'Check for predictors that are nearly collinear, groups with a single extreme response, or separation; consider the Laplace method.',
  };
}

export function separationWarning(count: number, n: number): FitWarning {
  return {
    code: 'separation',
    message: `${count} of ${n} fitted means are numerically at the boundary of the response range (possible complete separation)`,
    advice:
      'A predictor or group perfectly predicts the response; estimates and standard errors for it are unreliable. Consider removing or merging categories, or a penalised (Bayesian) fit.',
  };
}
