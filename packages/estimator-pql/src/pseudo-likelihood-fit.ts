import { FitAbortedError, GlmmInputError, type FitProblem, type FitWarning, type RawFit } from '@glmm/core';
import {
  convergenceWarning,
  isSingularTheta,
  pickOptimizer,
  RandomEffectsStructure,
  singularFitWarning,
  termCovariances,
} from '@glmm/engine';
import { fitGlmStart } from './glm-start.js';
import type { ResolvedSettings } from './pseudo-likelihood-method.js';
import { domainWarning, notConvergedWarning, pseudoLikelihoodNote, separationWarning, workingModelWarning } from './pseudo-likelihood-warnings.js';
import { responseRows } from './response-rows.js';
import { fitWorkingLmm, WorkingLmm, type WorkingLmmFit, type WorkingLmmSearch } from './working-lmm.js';
import { WorkingResponse } from './working-response.js';

/**
 * Final trust radius of the working LMM's search in theta.  The PL iteration
 * can settle no closer than the inner fits do, and fitglme's PLTolerance
 * (1e-8 on eta) needs theta to about that.
 */
const THETA_TOLERANCE = 1e-10;
/** Halvings of a step whose linear predictor leaves the link's or family's domain. */
const MAX_HALVINGS = 30;

/**
 * The pseudo-likelihood iteration shared by PQL, MPL and REMPL: from a
 * starting linear predictor, repeat
 *   1. working response and weights at eta (one pass over the rows),
 *   2. their cross-products [Z X z]'W[Z X z] (one pass),
 *   3. the working LMM over theta (no pass: the cross-products are rescaled),
 *   4. the new eta = offset + X beta + Z b (one pass),
 * until the method's stopping rule holds.  Estimates, standard errors,
 * variance components and modes are those of the last working LMM; the
 * residuals are the family's at its linear predictor.
 */
export function fitPseudoLikelihood(problem: FitProblem, settings: ResolvedSettings): RawFit {
  const { model, family, link, options, signal, onProgress } = problem;
  const { spec } = settings;
  const n = model.n;
  const p = model.p;
  const checkAbort = (): void => {
    if (signal?.aborted) throw new FitAbortedError(signal.reason);
  };
  const re = new RandomEffectsStructure(model, problem.covariances);
  const response = new WorkingResponse(model, family, link);
  const lmm = new WorkingLmm(re, { reml: spec.reml, knownDispersion: settings.estimateDispersion ? null : 1 }, checkAbort);
  const optimizer = pickOptimizer(problem.optimizers, ['bobyqa', 'nelder-mead']);
  const search = (warm: boolean): WorkingLmmSearch => ({ optimizer, warm, maxEvaluations: options.maxEvaluations, thetaTolerance: THETA_TOLERANCE });
  const warnings: FitWarning[] = [];

  onProgress?.({ stage: 'start', message: spec.start === 'glm' ? 'GLM fit of the fixed effects' : 'starting mean' });
  // eta: the current linear predictor, whose working data the next LMM fits.
  let eta = startingEta(problem, settings, response);
  let other: Float64Array = new Float64Array(n);
  // The eta whose working data gave the last good working LMM (to restore it).
  const etaOfLast = new Float64Array(n);
  let theta = re.initialTheta();
  let last: WorkingLmmFit | null = null;
  let iterations = 0;
  let converged = false;
  let change = Infinity;
  let stopped: FitWarning | null = null;
  for (let iteration = 1; iteration <= settings.iterations; iteration++) {
    checkAbort();
    lmm.accumulate(response.w, response.z);
    const fit = fitWorkingLmm(lmm, theta, search(iteration > 1));
    if (!fit) {
      if (!last) throw new GlmmInputError(`${spec.method}: the working linear mixed model is not positive definite at the start; check for redundant predictors`);
      stopped = workingModelWarning(spec.method, iteration);
      restore(lmm, response, etaOfLast, last);
      linearPredictor(re, last, eta);
      break;
    }
    last = fit;
    theta = fit.theta;
    iterations = iteration;
    etaOfLast.set(eta);
    linearPredictor(re, fit, other);
    change = spec.rule.change(eta, other);
    [eta, other] = [other, eta];
    onProgress?.({
      stage: 'iteration',
      iteration,
      evaluations: lmm.evaluations,
      deviance: fit.solution.deviance,
      message: `${spec.method} iteration ${iteration}: change in eta ${change.toPrecision(3)}`,
    });
    if (spec.rule.converged(change, settings.tolerance)) {
      converged = true;
      break;
    }
    if (iteration === settings.iterations) break;
    // The next working data; a linear predictor outside the domain is pulled
    // back towards the previous one (which `other` now holds) by halving.
    if (!stepInto(response, eta, other)) {
      stopped = domainWarning(spec.method, link.name, family.name);
      break;
    }
  }
  if (!last) throw new Error('no pseudo-likelihood iteration ran');
  // The residuals at the last LMM's linear predictor, or where the working
  // data of that LMM came from if it is outside the domain.
  if (!response.update(eta)) {
    eta.set(etaOfLast);
    response.update(eta);
    stopped ??= domainWarning(spec.method, link.name, family.name);
  }
  if (!response.isExact()) warnings.push(pseudoLikelihoodNote(spec.method, settings.estimateDispersion));
  if (stopped) warnings.push(stopped);
  else if (!converged) warnings.push(notConvergedWarning(spec.method, iterations, change, spec.rule.describe(settings.tolerance)));
  if (last.search && !last.search.converged) warnings.push(convergenceWarning(`working LMM of the last iteration: ${last.search.message}`));

  onProgress?.({ stage: 'finalise', iteration: iterations, evaluations: lmm.evaluations });
  const { solution, theta: thetaHat } = last;
  const s2 = solution.dispersion;
  // glmmPQL's standard errors are lme's: under method "ML" nlme scales
  // (R_X'R_X)^{-1} by pwrss / (n - p), not by its sigma^2 = pwrss / n.
  const vcovScale = spec.vcovScale === 'nlme' && n > p ? solution.pwrss / (n - p) : s2;
  const vcovBeta = lmm.fixedInverse().map((v) => v * vcovScale);
  const modes = lmm.modes(thetaHat, solution.u, s2);
  const lambdas = re.lambdas(thetaHat);
  const rows = responseRows(model, response);
  if (rows.atBoundary > 0) warnings.push(separationWarning(rows.atBoundary, n));
  const singular = isSingularTheta(re, thetaHat);
  if (singular) warnings.push(singularFitWarning());
  return {
    method: spec.method,
    nAGQ: 0,
    beta: solution.beta,
    vcovBeta,
    theta: thetaHat,
    sigma: Math.sqrt(s2),
    dispersion: s2,
    logLik: -solution.deviance / 2,
    df: p + re.nTheta + (settings.estimateDispersion ? 1 : 0),
    remlCriterion: spec.reml ? solution.deviance : null,
    conditionalDeviance: rows.conditionalDeviance,
    termCovariances: termCovariances(re, lambdas, s2),
    modes,
    eta,
    fitted: response.mu,
    residResponse: rows.residResponse,
    residDeviance: rows.residDeviance,
    residPearson: rows.residPearson,
    singular,
    convergence: {
      converged: converged && !stopped,
      iterations,
      evaluations: lmm.evaluations,
      optimizer: optimizer.name,
      message: converged
        ? `${spec.method} converged in ${iterations} iterations: ${spec.rule.describe(settings.tolerance)} (last change ${change.toPrecision(3)})`
        : `${spec.method} stopped after ${iterations} iterations (last change ${change.toPrecision(3)})`,
    },
    warnings,
  };
}

/** The first linear predictor, with the response's working values at it. */
function startingEta(problem: FitProblem, settings: ResolvedSettings, response: WorkingResponse): Float64Array {
  const { model, family, link } = problem;
  if (settings.spec.start === 'glm') return fitGlmStart(model, response).eta;
  const mu = muStart(problem, settings);
  if (!family.validMu(mu))
    throw new GlmmInputError(`${settings.spec.method}: the starting mean (MuStart) is outside the ${family.name} family's range`);
  const eta = link.linkfun(mu);
  if (!response.update(eta))
    throw new GlmmInputError(`${settings.spec.method}: the starting mean gives a linear predictor outside the ${link.name} link's range`);
  return eta;
}

function muStart(problem: FitProblem, settings: ResolvedSettings): Float64Array {
  const { model, family } = problem;
  const given = settings.muStart;
  if (given === null) return family.startingMu(model.y, model.weights);
  if (typeof given === 'number') return new Float64Array(model.n).fill(given);
  if (given.length !== model.n)
    throw new GlmmInputError(`${settings.spec.method}: MuStart has ${given.length} values for ${model.n} rows`);
  return Float64Array.from(given);
}

/** out = offset + X beta + Z b of a working LMM's solution (b = Lambda u). */
function linearPredictor(re: RandomEffectsStructure, fit: WorkingLmmFit, out: Float64Array): void {
  const { n, p, X, offset } = re.model;
  const beta = fit.solution.beta;
  out.set(offset);
  for (let a = 0; a < p; a++) {
    const ba = beta[a]!;
    const xo = a * n;
    for (let r = 0; r < n; r++) out[r]! += X[xo + r]! * ba;
  }
  re.addZb(re.applyLambda(re.lambdas(fit.theta), fit.solution.u), out);
}

/** Working data at eta, halving eta towards `previous` (valid) while it leaves the domain; false if it never returns. */
function stepInto(response: WorkingResponse, eta: Float64Array, previous: Float64Array): boolean {
  for (let h = 0; h <= MAX_HALVINGS; h++) {
    if (response.update(eta)) return true;
    for (let r = 0; r < eta.length; r++) eta[r] = 0.5 * (eta[r]! + previous[r]!);
  }
  return false;
}

/** Puts the working LMM of `last` back (its cross-products and its factor at its theta). */
function restore(lmm: WorkingLmm, response: WorkingResponse, etaOfLast: Float64Array, last: WorkingLmmFit): void {
  response.update(etaOfLast);
  lmm.accumulate(response.w, response.z);
  lmm.solve(last.theta, true);
}
