import type { Estimator, FitProblem, FitWarning, RawFit } from '@glmm/core';
import {
  conditionalModes,
  convergenceWarning,
  isSingularTheta,
  pickOptimizer,
  RandomEffectsStructure,
  singularFitWarning,
  termCovariances,
} from '@glmm/engine';
import { backwardSolve } from '@glmm/linalg';
import { gaussHermite } from './gauss-hermite.js';
import { GlmResponse } from './glm-response.js';
import { glmStartingBeta } from './glm-start.js';
import { LaplaceObjective } from './laplace-objective.js';
import { approximateNewton } from '@glmm/optimizer';
import { fusedGlm } from './fused-glm.js';
import { momentThetaStart } from './moment-start.js';
import { GroupedLaplace } from './grouped-laplace.js';
import { ScalarTermGradient } from './scalar-term-gradient.js';
import { ScalarTermsGradient } from './scalar-terms-gradient.js';
import { VectorTermsGradient } from './vector-terms-gradient.js';
import { hessianCovariance, pirlsCovariance } from './fixed-effects-covariance.js';
import { exactGradient, exactGradientApplies, forwardHessian, groupedValueGradientHessian } from './stage2-derivatives.js';

/**
 * GLMMs by the Laplace approximation (nAGQ = 1) or adaptive Gauss-Hermite
 * quadrature, maximised over theta and beta jointly as lme4's glmer does.
 * Stage 1 profiles beta inside PIRLS (lme4's nAGQ = 0) for a starting point;
 * stage 2 optimises the true objective over (theta, beta), with beta in
 * whitened coordinates (beta = beta1 + R^{-1} delta) so that one unit of
 * delta is about one standard error in every direction, which keeps the
 * derivative-free search well conditioned (MIDAS's internal scaling).
 */
export function createLaplaceEstimator(kind: 'laplace' | 'agq'): Estimator {
  return {
    name: kind,
    supports(family, model, options) {
      if (family.name === 'gaussian') return 'the gaussian family is fitted by method "reml" or "ml"';
      if (model.terms.length === 0) return 'the model has no random-effects term';
      if (kind === 'agq' || options.nAGQ > 1) {
        if (model.terms.length !== 1 || model.terms[0]!.columns.length !== 1)
          return 'adaptive Gauss-Hermite quadrature needs exactly one scalar random-effects term, such as (1 | g); use method "laplace"';
      }
      return null;
    },
    fit(problem) {
      return fitGlmm(problem, kind);
    },
  };
}

function fitGlmm(problem: FitProblem, kind: 'laplace' | 'agq'): RawFit {
  const { model, family, link, options } = problem;
  const nAGQ = kind === 'agq' ? Math.max(options.nAGQ, 1) : 1;
  const re = new RandomEffectsStructure(model, problem.covariances);
  const response = new GlmResponse(model, family, link);
  const objective = new LaplaceObjective(re, response, options.maxIterations, nAGQ > 1 ? gaussHermite(nAGQ) : null);
  const derivativeFree = pickOptimizer(problem.optimizers, ['bobyqa', 'nelder-mead']);
  const polish = problem.optimizers.find((o) => o.name === 'quasi-newton') ?? null;
  const warnings: FitWarning[] = [];
  const p = model.p;
  const nTheta = re.nTheta;

  // The fused per-group kernel when the link and family offer per-element
  // functions; otherwise the array-based gradient on top of PIRLS.
  const grouped = nAGQ === 1 ? GroupedLaplace.create(model, family, link, response.aic(0)) : null;
  const scalar = !grouped && exactGradientApplies(problem, nAGQ) ? new ScalarTermGradient(model, response) : null;
  // Several scalar terms (crossed or nested intercepts), or terms with
  // several columns (random slopes), canonical link: the exact gradient
  // through the selected inverse of the PIRLS factor.
  const dLambda = re.lambdaDerivatives();
  const terms =
    grouped || scalar || nAGQ !== 1
      ? null
      : re.nTerms > 1 && ScalarTermsGradient.applies(re, family, link)
        ? new ScalarTermsGradient(re, response, { modeDerivatives: true })
        : !re.scalarThetaTerms() && VectorTermsGradient.applies(family, link, dLambda)
          ? new VectorTermsGradient(re, response, dLambda!)
          : null;
  const exact = grouped !== null || scalar !== null || terms !== null;

  // GLM fit without random effects (theta = 0) for the starting beta: fused
  // row passes with the grouped kernel, the joint PIRLS at theta = 0 otherwise.
  const glm = grouped ? fusedGlm(model, family, link) : null;
  if (!glm) {
    const beta0 = glmStartingBeta(model, family, link) ?? new Float64Array(p);
    objective.joint.beta.set(beta0);
    objective.stage1(new Float64Array(nTheta));
  }

  // Stage 1: theta with beta profiled in PIRLS (nAGQ = 0).  With an exact
  // gradient for stage 2 the quasi-Newton search gets there faster from
  // lme4's starting theta, and stage 1 is skipped.
  // Several scalar terms with an exact gradient: theta starts at its moment
  // estimates from the GLM fit the joint PIRLS at theta = 0 just left in `response`.
  const stage1 = exact
    ? { x: terms ? momentThetaStart(re, response, re.initialTheta(), 0.05) : re.initialTheta(), iterations: 0 }
    : derivativeFree.minimize((th) => objective.stage1(th), re.initialTheta(), {
        lower: re.lower,
        initialStep: new Float64Array(nTheta).fill(0.25),
        maxEvaluations: options.maxEvaluations,
        // Only a starting point for stage 2, which reaches the real optimum.
        ftolRel: 1e-7,
        xtolAbs: 1e-3,
      });
  const theta1 = stage1.x;
  // The joint mode at theta1 gives beta1 and R_X; with stage 1 skipped the GLM
  // fit above (theta = 0) already holds both, so no second joint solve is needed.
  if (!exact) objective.stage1(theta1);
  const beta1 = glm ? glm.beta : Float64Array.from(objective.joint.beta);
  if (!glm) objective.pirls.u.set(objective.joint.u);
  // Whitening: R = L_XX' from the joint system, so Var(beta) ~ (R'R)^{-1}.
  const sys = objective.joint.system;
  const Lxx = glm
    ? glm.cholXtWX
    : p > 0
      ? sys.chol.values.slice(sys.pattern.diagOffset[sys.xNode]!, sys.pattern.diagOffset[sys.xNode]! + p * p)
      : new Float64Array(0);
  const toBeta = (x: Float64Array, out: Float64Array): Float64Array => {
    const d = out;
    for (let a = 0; a < p; a++) d[a] = x[nTheta + a]!;
    if (p > 0) backwardSolve(Lxx, p, d);
    for (let a = 0; a < p; a++) d[a]! += beta1[a]!;
    return d;
  };
  const betaBuf = new Float64Array(p);
  /** d f / d(theta, beta) at the last point the grouped kernel evaluated. */
  const groupedGradient = new Float64Array(1 + p);
  // The last point evaluated, so a gradient right after its objective reuses the mode.
  let lastX: Float64Array | null = null;
  let lastTol = NaN;
  let lastValue = NaN;
  const f2 = (x: Float64Array, tol = 1e-10): number => {
    if (lastX && tol >= lastTol && lastX.length === x.length && lastX.every((v, i) => v === x[i])) return lastValue;
    const beta = toBeta(x, betaBuf);
    if (grouped) lastValue = grouped.evaluate(x[0]!, beta, groupedGradient);
    else {
      scalar?.predictModes(x[0]!, beta, objective.pirls.u);
      terms?.predictModes(x.subarray(0, nTheta), beta, objective.pirls.u);
      lastValue = objective.deviance(x.subarray(0, nTheta), beta, tol);
    }
    lastX = Float64Array.from(x);
    lastTol = tol;
    return lastValue;
  };

  // Stage 2: the Laplace (or AGQ) deviance over (theta, delta).
  const dim = nTheta + p;
  const lower = new Float64Array(dim).fill(-Infinity);
  lower.set(re.lower);
  const x0 = new Float64Array(dim);
  x0.set(theta1);
  // One scalar term: start theta at its moment estimate, not lme4's 1 (fewer Newton steps).
  if (grouped) x0[0] = grouped.momentTheta(beta1, 0.05);
  const step = new Float64Array(dim).fill(1);
  for (let i = 0; i < nTheta; i++) step[i] = Math.max(0.05, 0.2 * Math.abs(theta1[i]!));
  // With the exact gradient (one scalar term) quasi-Newton needs the fewest
  // evaluations; otherwise the quadratic-model trust region (bobyqa) beats
  // quasi-Newton on finite differences, which pays 2d evaluations a gradient.
  // Either way the other one gets a second try if the first does not converge.
  const tight = (x: Float64Array): number => f2(x, 1e-12);
  // d f / d(theta, beta) at the mode f2 just established at x.
  const modeGradient = grouped
    ? (_x: Float64Array, out: Float64Array) => out.set(groupedGradient)
    : scalar
      ? (x: Float64Array, out: Float64Array) => scalar.gradient(x[0]!, objective.pirls.beta, objective.pirls.u, objective.pirls.eta, out)
      : terms
        ? (x: Float64Array, out: Float64Array) => terms.gradient(x.subarray(0, nTheta), objective.pirls.beta, objective.pirls, out)
        : null;
  const gradient = modeGradient ? exactGradient(modeGradient, p, f2, Lxx, nTheta) : null;
  const runQuasiNewton = (from: Float64Array) =>
    polish!.minimize(tight, from, {
      lower,
      maxIterations: options.maxIterations,
      maxEvaluations: options.maxEvaluations,
      ftolRel: 1e-12,
      // theta and delta have very different curvature: start from the Hessian at the
      // starting point (d gradients) instead of letting BFGS discover it step by step.
      ...(gradient ? { gradient, initialHessian: forwardHessian(gradient, from) } : {}),
    });
  const runDerivativeFree = (from: Float64Array) =>
    derivativeFree.minimize(tight, from, {
      lower,
      initialStep: step,
      maxEvaluations: options.maxEvaluations,
      ftolRel: 1e-12,
      xtolAbs: Math.min(options.tolerance, 1e-5),
    });
  // The grouped kernel also gives an approximate Hessian with every value, so
  // Newton steps need no curvature learning; BFGS and bobyqa remain the fallbacks.
  const newtonFirst = grouped !== null;
  const runNewton = (from: Float64Array) =>
    approximateNewton(
      groupedValueGradientHessian(grouped!, toBeta, betaBuf, Lxx, nTheta, p, groupedGradient, (x, v) => {
        lastX = Float64Array.from(x);
        lastTol = 1e-12;
        lastValue = v;
      }),
      from,
      { lower, maxIterations: options.maxIterations, ftolRel: 1e-12 },
    );
  const quasiNewtonFirst = !newtonFirst && polish !== null && gradient !== null;
  let best = newtonFirst ? runNewton(x0) : quasiNewtonFirst ? runQuasiNewton(x0) : runDerivativeFree(x0);
  let iterations = stage1.iterations + best.iterations;
  if (!best.converged && (newtonFirst || quasiNewtonFirst || polish)) {
    const second =
      newtonFirst && polish ? runQuasiNewton(best.x) : quasiNewtonFirst || newtonFirst ? runDerivativeFree(best.x) : runQuasiNewton(best.x);
    iterations += second.iterations;
    if (second.fval <= best.fval) best = second;
  }
  // A search can stop with a diagonal entry of a Lambda_t at 0 and
  // the rest of its column pointing the wrong way (see
  // RandomEffectsStructure.zeroDiagonalRestarts): search again from the
  // mirror image, and keep what is better.
  if (!newtonFirst)
    for (let round = 0; round < 3; round++) {
      let improved = false;
      for (const restart of re.zeroDiagonalRestarts(best.x.subarray(0, nTheta), 1e-2)) {
        const from = Float64Array.from(best.x);
        from.set(restart);
        const again = quasiNewtonFirst ? runQuasiNewton(from) : runDerivativeFree(from);
        iterations += again.iterations;
        if (again.fval < best.fval - 1e-9 * Math.max(1, Math.abs(best.fval))) {
          best = again;
          improved = true;
        }
      }
      if (!improved) break;
    }
  if (!best.converged) warnings.push(convergenceWarning(best.message));
  const xHat = best.x;
  // The modes at the optimum, if the kernel's last evaluation was there: the
  // final tight solve then starts next to them, not from a prediction off the
  // Hessian's difference points.
  // (lastX is assigned inside the objective closures, which TypeScript's narrowing does not see.)
  const lastPoint = lastX as Float64Array | null;
  const modesAtOptimum =
    grouped && lastPoint !== null && lastPoint.length === xHat.length && lastPoint.every((v, i) => v === xHat[i])
      ? Float64Array.from(grouped.u)
      : null;
  const thetaHat = Float64Array.from(xHat.subarray(0, nTheta));
  const betaHat = toBeta(xHat, new Float64Array(p));

  // Fixed-effects covariance from the Hessian of the deviance over (theta, beta).
  let vcovBeta = hessianCovariance(f2, xHat, nTheta, p, re.lower, Lxx, gradient);
  if (!vcovBeta) {
    warnings.push({
      code: 'hessian-not-positive-definite',
      message: 'the Hessian of the deviance is not positive definite at the optimum; standard errors use the PIRLS approximation',
      advice: 'Check for a singular fit or a poorly identified model; simplify the random effects or rescale predictors.',
    });
  }

  // The mode at the optimum, converged tightly, for everything reported.
  lastX = null; // the objective state moves on from here
  let finalDeviance = Infinity;
  let sqrU = 0;
  if (grouped) {
    // The kernel's modes, Newton-converged to ~1e-14, and one pass for the per-row state.
    grouped.lastStep = 1e-7;
    if (modesAtOptimum) grouped.startFrom(modesAtOptimum);
    finalDeviance = grouped.evaluate(thetaHat[0]!, betaHat, groupedGradient);
  }
  if (grouped && finalDeviance < Infinity) {
    const Ldiag = new Float64Array(re.q);
    grouped.writeState(thetaHat[0]!, betaHat, { eta: objective.pirls.eta, mu: response.mu, devRes: response.devRes, muEta: response.muEta, variance: response.variance }, Ldiag);
    objective.pirls.u.set(grouped.u);
    const sys = objective.pirls.system;
    for (let j = 0; j < re.q; j++) sys.chol.values[sys.pattern.diagOffset[j]!] = Ldiag[j]!;
  } else {
    const out = objective.mode(thetaHat, betaHat, 1e-13);
    finalDeviance = objective.devianceAtMode(out, thetaHat);
    sqrU = out.sqrU;
  }
  const lambdas = re.lambdas(thetaHat);
  const u = Float64Array.from(objective.pirls.u);
  const n = model.n;
  const sigma2 = family.hasDispersion ? (response.pearsonSumOfSquares() + sqrU) / n : 1;
  if (!vcovBeta) vcovBeta = pirlsCovariance(objective, thetaHat, betaHat, u, sigma2);
  const modes = conditionalModes(re, objective.pirls.system, lambdas, u, sigma2);
  // The state buffers are not touched again: hand them over instead of copying.
  const eta = objective.pirls.eta;
  const mu = response.mu;
  const variance = grouped ? response.variance : family.variance(mu);
  const residResponse = new Float64Array(n);
  const residDeviance = new Float64Array(n);
  const residPearson = new Float64Array(n);
  let condDev = 0;
  let separated = 0;
  const me = grouped ? response.muEta : link.muEta(eta);
  for (let r = 0; r < n; r++) {
    const e = model.y[r]! - mu[r]!;
    const d = response.devRes[r]!;
    condDev += d;
    residResponse[r] = e;
    residDeviance[r] = (e >= 0 ? 1 : -1) * Math.sqrt(Math.max(d, 0));
    residPearson[r] = (e * Math.sqrt(model.weights[r]!)) / Math.sqrt(variance[r]!);
    if (me[r]! < 1e-10 * Math.max(1, Math.abs(mu[r]!))) separated++;
  }
  if (separated > 0)
    warnings.push({
      code: 'separation',
      message: `${separated} of ${n} fitted means are numerically at the boundary of the response range (possible complete separation)`,
      advice:
        'A predictor or group perfectly predicts the response; estimates and standard errors for it are unreliable. Consider removing or merging categories, or a penalised (Bayesian) fit.',
    });
  if (objective.halvingFailures > 0)
    warnings.push({
      code: 'pirls-step-halving',
      message: `PIRLS step-halving failed to reduce the penalised deviance in ${objective.halvingFailures} evaluation(s)`,
      advice: 'Rescale predictors, check for separation or extreme counts, or simplify the model.',
    });
  if (grouped && grouped.failures > 0)
    warnings.push({
      code: 'pirls-step-halving',
      message: `the conditional modes could not be found at ${grouped.failures} trial point(s) of the optimiser, which were rejected`,
      advice: 'Usually harmless when the fit converged; otherwise rescale predictors, check for separation or extreme counts, or simplify the model.',
    });
  const singular = isSingularTheta(re, thetaHat);
  if (singular) warnings.push(singularFitWarning());
  return {
    method: nAGQ > 1 ? 'AGQ' : 'Laplace',
    nAGQ,
    beta: betaHat,
    vcovBeta,
    theta: thetaHat,
    sigma: Math.sqrt(sigma2),
    dispersion: sigma2,
    logLik: -finalDeviance / 2,
    df: p + nTheta + (family.hasDispersion ? 1 : 0),
    remlCriterion: null,
    conditionalDeviance: condDev,
    termCovariances: termCovariances(re, lambdas, sigma2),
    modes,
    eta,
    fitted: mu,
    residResponse,
    residDeviance,
    residPearson,
    singular,
    convergence: {
      converged: best.converged,
      iterations,
      evaluations: objective.evaluations + (grouped?.evaluations ?? 0),
      optimizer: newtonFirst
        ? 'newton'
        : [...new Set([...(exact ? [] : [derivativeFree.name]), quasiNewtonFirst ? polish!.name : derivativeFree.name])].join('+'),
      message: best.message,
    },
    warnings,
  };
}

