import type { Estimator, FitProblem, FitWarning, OptimizerResult, RawFit } from '@glmm/core';
import {
  convergenceWarning,
  isSingularTheta,
  pickOptimizer,
  RandomEffectsStructure,
  singularFitWarning,
  termCovariances,
} from '@glmm/engine';
import { approximateNewton } from '@glmm/optimizer';
import { LmmDerivatives } from './lmm-derivatives.js';
import { LmmGeneralDerivatives } from './lmm-general-derivatives.js';
import { lmmMomentStart } from './lmm-moment-start.js';
import { LmmObjective } from './lmm-objective.js';
import { lmmRows } from './lmm-rows.js';

/**
 * Linear mixed models by profiled REML or ML: beta and sigma come in closed
 * form for each theta, so the optimiser only searches theta.
 */
export function createLmmEstimator(reml: boolean): Estimator {
  return {
    name: reml ? 'reml' : 'ml',
    supports(family) {
      if (family.name !== 'gaussian') return `${reml ? 'REML' : 'ML'} fits linear mixed models; the ${family.name} family needs method "laplace" or "agq"`;
      return null;
    },
    fit(problem) {
      return fitLmm(problem, reml);
    },
  };
}

function fitLmm(problem: FitProblem, reml: boolean): RawFit {
  const { model, options } = problem;
  if (problem.link.name !== 'identity')
    throw new Error('the linear mixed-model estimator needs the identity link; use method "laplace" for other links');
  const re = new RandomEffectsStructure(model, problem.covariances);
  const objective = new LmmObjective(re, reml);
  const optimizer = pickOptimizer(problem.optimizers, ['bobyqa', 'nelder-mead']);
  // With several terms each evaluation refactors a crossed or nested system:
  // start at the moment estimates, which are close, instead of lme4's theta = 1.
  // (One scalar term evaluates in closed form; the extra pass would not pay.)
  const moment = re.nTerms > 1;
  const theta0 = moment ? lmmMomentStart(re, re.initialTheta(), 0.05) : re.initialTheta();
  const warnings: FitWarning[] = [];
  let thetaHat = theta0;
  let converged = true;
  let iterations = 0;
  let message = 'no covariance parameters';
  // The exact gradient and an average-information Hessian (LmmDerivatives
  // for scalar terms, LmmGeneralDerivatives for any covariance linear in
  // theta) let Newton's method finish in a handful of those factorisations
  // where bobyqa needs tens to hundreds.
  const derivatives = moment ? lmmDerivatives(objective) : null;
  const runNewton = (from: Float64Array): OptimizerResult =>
    approximateNewton((th, g, H) => derivatives!.evaluate(th, g, H), from, {
      lower: re.lower,
      maxIterations: options.maxIterations,
      ftolRel: 1e-12,
    });
  const runBobyqa = (from: Float64Array): OptimizerResult =>
    optimizer.minimize((th) => objective.deviance(th), from, {
      lower: re.lower,
      // From a moment start the optimum is close: a first trust radius of 20% of each theta (0.05 to 0.25).
      initialStep: moment ? from.map((t) => Math.min(Math.max(0.2 * t, 0.05), 0.25)) : new Float64Array(re.nTheta).fill(0.25),
      maxEvaluations: options.maxEvaluations,
      maxIterations: options.maxEvaluations,
      ftolRel: 1e-12,
      // theta to 1e-5 puts the deviance within ~1e-10 relative of its minimum (it is
      // quadratic there); tighter only costs evaluations.
      xtolAbs: Math.min(options.tolerance * 10, 1e-5),
    });
  let search: OptimizerResult | null = null;
  let run = runBobyqa;
  if (derivatives) {
    const result = runNewton(theta0);
    if (result.converged) {
      search = result;
      run = runNewton;
    } else {
      // Newton's method stopped short: bobyqa from where it got to.
      const fallback = runBobyqa(result.fval < Infinity ? result.x : theta0);
      search = { ...fallback, message: `Newton's method: ${result.message}; then ${fallback.message}` };
    }
  } else if (re.nTheta > 0) search = runBobyqa(theta0);
  if (search) {
    // A search can stop with a diagonal entry of a Lambda_t at 0 and the
    // rest of its column pointing the wrong way (see
    // RandomEffectsStructure.zeroDiagonalRestarts): search again from the
    // mirror image, and keep what is better.
    for (let round = 0; round < 3; round++) {
      let improved = false;
      for (const restart of re.zeroDiagonalRestarts(search.x, 1e-2)) {
        const again = run(restart);
        if (again.converged && again.fval < search.fval - 1e-9 * Math.max(1, Math.abs(search.fval))) {
          search = again;
          improved = true;
        }
      }
      if (!improved) break;
    }
    thetaHat = search.x;
    converged = search.converged;
    iterations = search.iterations;
    message = search.message;
    if (!converged) warnings.push(convergenceWarning(search.message));
  }
  const optimum = objective.optimum(thetaHat, derivatives?.inverseDiagonalAt(thetaHat) ?? null);
  if (!optimum) throw new Error('the mixed-model equations are not positive definite at the optimum');
  const sol = optimum.solution;
  const n = model.n;
  const p = model.p;
  const sigma2 = sol.pwrss / (reml ? n - p : n);
  const sigma = Math.sqrt(sigma2);
  const lambdas = re.lambdas(thetaHat);
  const vcovBeta = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) vcovBeta[i] = sigma2 * optimum.fixedInverse[i]!;
  const modes = optimum.modes(lambdas, sigma2);
  const b = re.applyLambda(lambdas, sol.u);
  const rows = lmmRows(re, sol.beta, b, objective.unitWeights);
  const singular = isSingularTheta(re, thetaHat);
  if (singular) warnings.push(singularFitWarning());
  return {
    method: reml ? 'REML' : 'ML',
    nAGQ: 0,
    beta: sol.beta,
    vcovBeta,
    theta: Float64Array.from(thetaHat),
    sigma,
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
      converged,
      iterations,
      evaluations: objective.evaluations,
      optimizer: run === runNewton ? 'newton' : optimizer.name,
      message,
    },
    warnings,
  };
}

/** The derivatives of the profiled deviance for Newton's method, or null where none apply. */
function lmmDerivatives(objective: LmmObjective): LmmDerivatives | LmmGeneralDerivatives | null {
  if (objective.re.scalarThetaTerms()) return new LmmDerivatives(objective);
  const dLambda = objective.re.lambdaDerivatives();
  return dLambda ? new LmmGeneralDerivatives(objective, dLambda) : null;
}
