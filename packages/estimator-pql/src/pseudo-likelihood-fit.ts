import type { FitProblem, FitWarning, RawFit } from '@glmm/core';
import { convergenceWarning, isSingularTheta, singularFitWarning, termCovariances } from '@glmm/engine';
import { PseudoLikelihoodIteration, type IterationOutcome } from './pseudo-likelihood-iteration.js';
import type { ResolvedSettings } from './pseudo-likelihood-method.js';
import { notConvergedWarning, pseudoLikelihoodNote, separationWarning } from './pseudo-likelihood-warnings.js';
import { responseRows } from './response-rows.js';

/**
 * A pseudo-likelihood fit (PQL, MPL or REMPL as `settings` say): the
 * iteration, then the results of its last working LMM -- estimates,
 * standard errors, variance components, modes and the pseudo
 * log-likelihood -- with the family's residuals at its linear predictor.
 */
export function fitPseudoLikelihood(problem: FitProblem, settings: ResolvedSettings): RawFit {
  const iteration = new PseudoLikelihoodIteration(problem, settings);
  const outcome = iteration.run();
  const { re, lmm, response } = iteration;
  const { model } = problem;
  const { spec } = settings;
  const { solution, theta } = outcome.last;
  problem.onProgress?.({ stage: 'finalise', iteration: outcome.iterations, evaluations: lmm.evaluations });
  const s2 = solution.dispersion;
  // glmmPQL's standard errors are lme's: with the dispersion estimated under
  // method "ML", nlme scales (R_X'R_X)^{-1} by pwrss / (n - p), not by its
  // sigma^2 = pwrss / n.
  const nlmeScale = spec.vcovScale === 'nlme' && settings.estimateDispersion && model.n > model.p;
  const vcovScale = nlmeScale ? solution.pwrss / (model.n - model.p) : s2;
  // Straight from the factor of the last solve, which is at theta.
  const vcovBeta = lmm.fixedInverse().map((v) => v * vcovScale);
  const modes = lmm.modes(theta, solution.u, s2);
  const rows = responseRows(model, response);
  const singular = isSingularTheta(re, theta);
  return {
    method: spec.method,
    nAGQ: 0,
    beta: solution.beta,
    vcovBeta,
    theta,
    sigma: Math.sqrt(s2),
    dispersion: s2,
    logLik: -solution.deviance / 2,
    df: model.p + re.nTheta + (settings.estimateDispersion ? 1 : 0),
    remlCriterion: spec.reml ? solution.deviance : null,
    conditionalDeviance: rows.conditionalDeviance,
    termCovariances: termCovariances(re, re.lambdas(theta), s2),
    modes,
    eta: outcome.eta,
    fitted: response.mu,
    residResponse: rows.residResponse,
    residDeviance: rows.residDeviance,
    residPearson: rows.residPearson,
    singular,
    convergence: {
      converged: outcome.converged,
      iterations: outcome.iterations,
      evaluations: lmm.evaluations,
      optimizer: iteration.optimizerName,
      message: convergenceMessage(outcome, settings),
    },
    warnings: fitWarnings(outcome, settings, response.isExact(), rows.atBoundary, model.n, singular),
  };
}

function convergenceMessage(outcome: IterationOutcome, settings: ResolvedSettings): string {
  const { spec, tolerance } = settings;
  const change = outcome.change.toPrecision(3);
  return outcome.converged
    ? `${spec.method} converged in ${outcome.iterations} iterations: ${spec.rule.describe(tolerance)} (last change ${change})`
    : `${spec.method} stopped after ${outcome.iterations} iterations (last change ${change})`;
}

function fitWarnings(
  outcome: IterationOutcome,
  settings: ResolvedSettings,
  exact: boolean,
  atBoundary: number,
  n: number,
  singular: boolean,
): FitWarning[] {
  const { spec, tolerance } = settings;
  const warnings: FitWarning[] = [];
  // A linear mixed model's working model is the model: its pseudo-likelihood is the likelihood.
  if (!exact) warnings.push(pseudoLikelihoodNote(spec.method, settings.estimateDispersion));
  if (outcome.stopped) warnings.push(outcome.stopped);
  else if (!outcome.converged) warnings.push(notConvergedWarning(spec.method, outcome.iterations, outcome.change, spec.rule.describe(tolerance)));
  const search = outcome.last.search;
  if (search && !search.converged) warnings.push(convergenceWarning(`working LMM of the last iteration: ${search.message}`));
  if (atBoundary > 0) warnings.push(separationWarning(atBoundary, n));
  if (singular) warnings.push(singularFitWarning());
  return warnings;
}
