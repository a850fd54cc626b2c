import { GlmmInputError, type FamilyParameterEstimate, type FitWarning, type RawFit } from '@glmm/core';
import { conditionalModes, convergenceWarning, isSingularTheta, singularFitWarning, termCovariances, type SearchOutcome } from '@glmm/engine';
import { hessianCovariance } from './fixed-effects-covariance.js';
import type { LaplaceDeviance } from './laplace-deviance.js';
import type { LaplaceStart } from './laplace-start.js';
import type { WhitenedObjective } from './whitened-objective.js';

/** Residuals and the conditional deviance at the mode, with the rows whose mean sits on the boundary. */
interface ResponseResiduals {
  readonly response: Float64Array;
  readonly deviance: Float64Array;
  readonly pearson: Float64Array;
  readonly conditionalDeviance: number;
  readonly separated: number;
}

/**
 * The fit at the optimum the search found (lme4's mkMerMod): the
 * fixed-effects covariance from the Hessian of the deviance, the modes
 * converged tightly, conditional modes with their SDs, residuals and warnings.
 */
export function finaliseLaplace(objective: WhitenedObjective, search: SearchOutcome, start: LaplaceStart): RawFit {
  const deviance = objective.deviance;
  const { re, nTheta, p, problem } = deviance;
  const xHat = objective.toNatural(search.x);
  const thetaHat = Float64Array.from(xHat.subarray(0, nTheta));
  const betaHat = Float64Array.from(xHat.subarray(nTheta, nTheta + p));
  const parameter = deviance.parameter;
  const parameterHat = parameter ? Math.exp(xHat[nTheta + p]!) : NaN;
  // The grouped kernel's modes at the optimum, if its last evaluation was
  // there: the final solve then starts next to them, not from a prediction
  // off the Hessian's difference points.
  const kernel = deviance.kernel;
  const saved = kernel.kind === 'grouped' && deviance.isLast(xHat) ? Float64Array.from(kernel.grouped.u) : null;
  const warnings: FitWarning[] = [];
  if (!search.converged) warnings.push(convergenceWarning(search.message));
  const hessian = hessianCovariance((z) => objective.tightValue(z), search.x, nTheta, p, re.lower, start.Lxx, objective.gradient ?? null);
  if (!hessian) warnings.push(hessianWarning());
  let vcovBeta = hessian?.vcovBeta ?? null;
  if (parameter) deviance.fixParameter(parameterHat);
  const mode = deviance.mode(thetaHat, betaHat, saved);
  if (!(mode.deviance < Infinity)) throw noModeError(deviance);
  const sigma2 = deviance.dispersionAtMode(mode);
  // lme4 scales the random effects and R_X by its moment dispersion; a family holding its
  // dispersion has 1/phi in the weights already, so b = Lambda u is on the link scale as it is.
  const effectScale = parameter ? 1 : sigma2;
  const lambdas = re.lambdas(thetaHat);
  const u = Float64Array.from(deviance.objective.pirls.u);
  const modes = conditionalModes(re, deviance.objective.pirls.system, lambdas, u, effectScale);
  vcovBeta ??= rxCovariance(deviance, thetaHat, effectScale);
  // Residuals on the unit scale, as R reports them, also when the family holds an ML dispersion.
  const residuals = responseResiduals(deviance, parameter?.isDispersion ? parameterHat : 1);
  warnings.push(...stateWarnings(deviance, residuals));
  const singular = isSingularTheta(re, thetaHat);
  if (singular) warnings.push(singularFitWarning());
  return {
    method: deviance.nAGQ > 1 ? 'AGQ' : 'Laplace',
    nAGQ: deviance.nAGQ,
    beta: betaHat,
    vcovBeta,
    theta: thetaHat,
    sigma: Math.sqrt(sigma2),
    dispersion: sigma2,
    logLik: -mode.deviance / 2,
    df: p + nTheta + (parameter || problem.family.hasDispersion ? 1 : 0),
    remlCriterion: null,
    conditionalDeviance: residuals.conditionalDeviance,
    termCovariances: termCovariances(re, lambdas, effectScale),
    modes,
    // The state buffers are not touched again: handed over instead of copied.
    eta: deviance.objective.pirls.eta,
    fitted: deviance.response.mu,
    residResponse: residuals.response,
    residDeviance: residuals.deviance,
    residPearson: residuals.pearson,
    singular,
    convergence: {
      converged: search.converged,
      iterations: start.iterations + search.iterations,
      evaluations: deviance.evaluations,
      optimizer: [...new Set([...start.methods, ...search.methods])].join('+'),
      message: search.message,
    },
    warnings,
    familyParameter: parameter ? parameterEstimate(parameter.name, parameterHat, hessian?.logParameterVariance ?? null) : null,
  };
}

/** The estimate with its SE by the delta method from the log scale: se = value * se(log value). */
function parameterEstimate(name: string, value: number, logVariance: number | null): FamilyParameterEstimate {
  const se = logVariance !== null ? value * Math.sqrt(logVariance) : null;
  return { name, estimate: value, stdError: se !== null && Number.isFinite(se) ? se : null };
}

/**
 * Response, deviance and Pearson residuals from the response module's state
 * at the mode; `unit` undoes a dispersion the family holds (its deviance
 * residuals are over phi and its variance phi V(mu)).
 */
function responseResiduals(deviance: LaplaceDeviance, unit: number): ResponseResiduals {
  const { y, weights, n } = deviance.problem.model;
  const { mu, devRes, variance, muEta } = deviance.response;
  const response = new Float64Array(n);
  const devResid = new Float64Array(n);
  const pearson = new Float64Array(n);
  let conditionalDeviance = 0;
  let separated = 0;
  for (let r = 0; r < n; r++) {
    const e = y[r]! - mu[r]!;
    const d = devRes[r]! * unit;
    conditionalDeviance += d;
    response[r] = e;
    devResid[r] = (e >= 0 ? 1 : -1) * Math.sqrt(Math.max(d, 0));
    pearson[r] = (e * Math.sqrt(weights[r]! * unit)) / Math.sqrt(variance[r]!);
    if (Math.abs(muEta[r]!) < 1e-10 * Math.max(1, Math.abs(mu[r]!))) separated++;
  }
  return { response, deviance: devResid, pearson, conditionalDeviance, separated };
}

/** Warnings about the state at the optimum and the evaluations that led there. */
function stateWarnings(deviance: LaplaceDeviance, residuals: ResponseResiduals): FitWarning[] {
  const warnings: FitWarning[] = [];
  const n = deviance.problem.model.n;
  if (residuals.separated > 0)
    warnings.push({
      code: 'separation',
      message: `${residuals.separated} of ${n} fitted means are numerically at the boundary of the response range (possible complete separation)`,
      advice:
        'A predictor or group perfectly predicts the response; estimates and standard errors for it are unreliable. Consider removing or merging categories, or a penalised (Bayesian) fit.',
    });
  const halving = deviance.objective.halvingFailures;
  if (halving > 0)
    warnings.push({
      code: 'pirls-step-halving',
      message: `PIRLS step-halving failed to reduce the penalised deviance in ${halving} evaluation(s)`,
      advice: 'Rescale predictors, check for separation or extreme counts, or simplify the model.',
    });
  const kernel = deviance.kernel;
  if (kernel.kind === 'grouped' && kernel.grouped.failures > 0)
    warnings.push({
      code: 'pirls-step-halving',
      message: `the conditional modes could not be found at ${kernel.grouped.failures} trial point(s) of the optimiser, which were rejected`,
      advice: 'Usually harmless when the fit converged; otherwise rescale predictors, check for separation or extreme counts, or simplify the model.',
    });
  const invalid = deviance.response.invalidPoints;
  if (invalid > 0)
    warnings.push({
      code: 'pirls-step-halving',
      message: `the ${deviance.problem.link.name} link gave means outside the ${deviance.problem.family.name} family's range at ${invalid} trial point(s); PIRLS and the optimiser stepped back into the valid region`,
      advice: `Check the fit's means near the boundary; the family's canonical link (${deviance.problem.family.canonicalLink}) keeps every mean valid.`,
    });
  return warnings;
}

/**
 * lme4's R_X approximation sigma^2 (R_X'R_X)^{-1}, where the Hessian is
 * unusable.  Where neither exists the optimum lies where the working
 * weights explode: means on the boundary of the mean space (a Poisson mean
 * at 0 under the identity link), which no standard error describes.
 */
function rxCovariance(deviance: LaplaceDeviance, theta: Float64Array, sigma2: number): Float64Array {
  const inverse = deviance.fixedEffectsInverse(theta);
  if (inverse) return inverse.map((v) => sigma2 * v);
  const { family, link, model } = deviance.problem;
  const weights = Float64Array.from(deviance.response.weights).sort();
  const median = weights[weights.length >> 1]!;
  let extreme = 0;
  for (const w of weights) if (!(w < 1e10 * median)) extreme++;
  throw new GlmmInputError(
    `the ${family.name} family with the ${link.name} link has its maximum with ${extreme} of ${model.n} fitted means of "${model.responseName}" on the boundary of the family's mean space, where the fixed effects have no standard errors; use the ${family.canonicalLink} link`,
  );
}

/** No point the search reached has a conditional mode: nothing to report, and the user's to change. */
function noModeError(deviance: LaplaceDeviance): GlmmInputError {
  const { family, link, model } = deviance.problem;
  return new GlmmInputError(
    `the ${family.name} model with the ${link.name} link could not be evaluated for response "${model.responseName}" (${model.n} rows): no conditional modes exist at the estimates the search reached; rescale predictors or the response, or simplify the random effects`,
  );
}

function hessianWarning(): FitWarning {
  return {
    code: 'hessian-not-positive-definite',
    message: 'the Hessian of the deviance is not positive definite at the optimum; standard errors use the PIRLS approximation',
    advice: 'Check for a singular fit or a poorly identified model; simplify the random effects or rescale predictors.',
  };
}
