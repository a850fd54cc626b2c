import { GlmmInputError, isLinearMixedModel, type Estimator, type FitProblem, type FitWarning, type RawFit } from '@glmm/core';
import {
  convergenceWarning,
  FitMonitor,
  isSingularTheta,
  newtonMethod,
  optimizerMethod,
  pickOptimizer,
  RandomEffectsStructure,
  runSearch,
  singularFitWarning,
  termCovariances,
  warmStartPart,
  type SearchOutcome,
  type SearchPlan,
} from '@glmm/engine';
import { LmmDeviance } from './lmm-deviance.js';
import { lmmRows } from './lmm-rows.js';

/**
 * Linear mixed models by profiled REML or ML: beta and sigma come in closed
 * form for each theta, so the optimiser only searches theta.  Staged as
 * lme4's lmer: the deviance (LmmDeviance), the search (the shared driver),
 * the fit at the optimum.
 */
export function createLmmEstimator(reml: boolean): Estimator {
  const method = reml ? 'REML' : 'ML';
  const supports: Estimator['supports'] = (family, _model, _options, link) => {
    const linear = link ? isLinearMixedModel(family, link) : family.linearWithCanonicalLink === true;
    if (linear) return null;
    return `${method} fits linear mixed models (a normal response with its canonical identity link); the ${family.name} family${link ? ` with the ${link.name} link` : ''} needs method "laplace"${family.hasDispersion && !family.parameter?.required ? '' : ' or "agq"'}`;
  };
  return {
    name: reml ? 'reml' : 'ml',
    supports,
    deviance(problem) {
      refuseUnsupported(supports, problem, reml);
      return new LmmDeviance(new RandomEffectsStructure(problem.model, problem.covariances), reml);
    },
    fit(problem) {
      refuseUnsupported(supports, problem, reml);
      return fitLmm(problem, reml);
    },
  };
}

function refuseUnsupported(supports: Estimator['supports'], problem: FitProblem, reml: boolean): void {
  const reason = supports(problem.family, problem.model, problem.options, problem.link);
  if (reason) throw new GlmmInputError(`method "${reml ? 'reml' : 'ml'}" cannot fit this model: ${reason}`);
}

function fitLmm(problem: FitProblem, reml: boolean): RawFit {
  const re = new RandomEffectsStructure(problem.model, problem.covariances);
  const deviance = new LmmDeviance(re, reml);
  const monitor = new FitMonitor(problem.onProgress, problem.signal, () => deviance.evaluations);
  monitor.stage('start');
  const start = warmStartPart(problem.options.start, 'theta', re.nTheta, re.lower) ?? deviance.start();
  const search = re.nTheta > 0 ? runSearch(deviance, lmmSearchPlan(problem, deviance, start), monitor) : null;
  monitor.stage('finalise');
  return lmmFit(deviance, search?.x ?? start, search, reml);
}

/** Newton's method where the deviance has derivatives, bobyqa otherwise and as its fallback. */
function lmmSearchPlan(problem: FitProblem, deviance: LmmDeviance, start: Float64Array): SearchPlan {
  const { options } = problem;
  const re = deviance.re;
  const moment = deviance.momentStart;
  const bobyqa = optimizerMethod(pickOptimizer(problem.optimizers, ['bobyqa', 'nelder-mead']), (from) => ({
    lower: re.lower,
    // From a moment start the optimum is close: a first trust radius of 20% of each theta (0.05 to 0.25).
    initialStep: moment ? from.map((t) => Math.min(Math.max(0.2 * t, 0.05), 0.25)) : new Float64Array(re.nTheta).fill(0.25),
    maxEvaluations: options.maxEvaluations,
    maxIterations: options.maxEvaluations,
    ftolRel: 1e-12,
    // theta to 1e-5 puts the deviance within ~1e-10 relative of its minimum (it is
    // quadratic there); tighter only costs evaluations.
    xtolAbs: Math.min(options.tolerance * 10, 1e-5),
  }));
  const restarts = (x: Float64Array) => re.zeroDiagonalRestarts(x, 1e-2);
  if (!deviance.derivatives) return { start, primary: bobyqa, fallback: null, restarts };
  // The exact gradient and an average-information Hessian let Newton's method
  // finish in a handful of factorisations where bobyqa needs tens to hundreds.
  const newton = newtonMethod({ lower: re.lower, maxIterations: options.maxIterations, ftolRel: 1e-12 });
  return { start, primary: newton, fallback: bobyqa, restarts };
}

/** Everything reported, from the solution at the optimum. */
function lmmFit(deviance: LmmDeviance, thetaHat: Float64Array, search: SearchOutcome | null, reml: boolean): RawFit {
  const { re, objective } = deviance;
  const optimum = objective.optimum(thetaHat, deviance.derivatives?.inverseDiagonalAt(thetaHat) ?? null);
  if (!optimum)
    throw new GlmmInputError(
      `the mixed-model equations of response "${re.model.responseName}" (${re.model.n} rows) are not positive definite at the optimum; rescale the response and predictors (values of very different magnitudes) or simplify the random effects`,
    );
  const sol = optimum.solution;
  const { n, p } = objective;
  const sigma2 = sol.pwrss / (reml ? n - p : n);
  const lambdas = re.lambdas(thetaHat);
  const vcovBeta = optimum.fixedInverse.map((v) => sigma2 * v);
  const modes = optimum.modes(lambdas, sigma2);
  const b = re.applyLambda(lambdas, sol.u);
  const rows = lmmRows(re, sol.beta, b, objective.unitWeights);
  const warnings: FitWarning[] = [];
  if (search && !search.converged) warnings.push(convergenceWarning(search.message));
  const singular = isSingularTheta(re, thetaHat);
  if (singular) warnings.push(singularFitWarning());
  return {
    method: reml ? 'REML' : 'ML',
    nAGQ: 0,
    beta: sol.beta,
    vcovBeta,
    theta: Float64Array.from(thetaHat),
    sigma: Math.sqrt(sigma2),
    dispersion: sigma2,
    logLik: -sol.deviance / 2,
    df: p + re.nTheta + 1,
    remlCriterion: reml ? sol.deviance : null,
    conditionalDeviance: rows.conditionalDeviance,
    termCovariances: termCovariances(re, lambdas, sigma2),
    modes,
    // Identity link, unit variance function: fitted = eta and Pearson = deviance
    // residuals.  The arrays are shared, not copied: every consumer only reads them.
    eta: rows.eta,
    fitted: rows.eta,
    residResponse: rows.residResponse,
    residDeviance: rows.residDeviance,
    residPearson: rows.residDeviance,
    singular,
    convergence: {
      converged: search?.converged ?? true,
      iterations: search?.iterations ?? 0,
      evaluations: objective.evaluations,
      optimizer: search ? search.methods.join('+') : 'none',
      message: search?.message ?? 'no covariance parameters',
    },
    warnings,
  };
}
