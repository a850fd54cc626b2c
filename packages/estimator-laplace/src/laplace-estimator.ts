import { GlmmInputError, isLinearMixedModel, type Estimator, type FitProblem, type RawFit } from '@glmm/core';
import { FitMonitor, runSearch } from '@glmm/engine';
import { LaplaceDeviance } from './laplace-deviance.js';
import { finaliseLaplace } from './laplace-finalise.js';
import { laplaceSearchPlan } from './laplace-search.js';
import { laplaceStart } from './laplace-start.js';
import { WhitenedObjective } from './whitened-objective.js';

/**
 * GLMMs by the Laplace approximation (nAGQ = 1) or adaptive Gauss-Hermite
 * quadrature, maximised over theta and beta jointly as lme4's glmer does,
 * in lme4's stages: the deviance (LaplaceDeviance, its kernel chosen from
 * the plugins' declarations), the start (the GLM, then stage 1 or moment
 * estimates), the search over (theta, beta) in whitened coordinates through
 * the shared driver, and the fit at the optimum.
 */
export function createLaplaceEstimator(kind: 'laplace' | 'agq'): Estimator {
  const supports: Estimator['supports'] = (family, model, options, link) => {
    if (model.terms.length === 0) return 'the model has no random-effects term';
    if (link ? isLinearMixedModel(family, link) : family.linearWithCanonicalLink === true)
      return `a ${family.name} response with the ${link?.name ?? family.canonicalLink} link is a linear mixed model: use method "reml" or "ml"`;
    if (options.dispersion === 'ml' && !family.parameter)
      return `the ${family.name} family declares no parameter to estimate by maximum likelihood, so dispersion "ml" does not apply; use the default ("moment")`;
    const parameterEstimated = family.parameter !== undefined && (family.parameter.required || options.dispersion === 'ml');
    if (kind === 'agq' || options.nAGQ > 1) {
      if (model.terms.length !== 1 || model.terms[0]!.columns.length !== 1)
        return 'adaptive Gauss-Hermite quadrature needs exactly one scalar random-effects term, such as (1 | g); use method "laplace"';
      // A parameter estimated by ML is one more coordinate of the search: the quadrature is
      // over the random effect only.  lme4's moment dispersion has no AGQ form.
      if (family.hasDispersion && !parameterEstimated)
        return `adaptive Gauss-Hermite quadrature needs a family without a dispersion or other parameter to estimate except by maximum likelihood (the ${family.name} family's dispersion is a moment estimate here); use method "laplace"${family.parameter ? ', or dispersion "ml"' : ''}`;
    }
    return null;
  };
  const check = (problem: FitProblem): number => {
    const reason = supports(problem.family, problem.model, problem.options, problem.link);
    if (reason) throw new GlmmInputError(`method "${kind}" cannot fit this model: ${reason}`);
    return kind === 'agq' ? Math.max(problem.options.nAGQ, 1) : 1;
  };
  return {
    name: kind,
    supports,
    deviance: (problem) => new LaplaceDeviance(problem, check(problem)),
    fit: (problem) => fitLaplace(problem, check(problem)),
  };
}

function fitLaplace(problem: FitProblem, nAGQ: number): RawFit {
  const deviance = new LaplaceDeviance(problem, nAGQ);
  const monitor = new FitMonitor(problem.onProgress, problem.signal, () => deviance.evaluations);
  monitor.stage('start');
  const start = laplaceStart(deviance, monitor);
  const objective = new WhitenedObjective(deviance, Float64Array.from(start.x.subarray(deviance.nTheta)), start.Lxx);
  const z0 = objective.fromNatural(start.x);
  const search = runSearch(objective, laplaceSearchPlan(problem, objective, start, z0), monitor);
  monitor.stage('finalise');
  return finaliseLaplace(objective, search, start);
}
