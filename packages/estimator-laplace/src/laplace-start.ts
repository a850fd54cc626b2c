import { GlmmInputError } from '@glmm/core';
import { FitMonitor, glmStartingBeta, optimizerMethod, pickOptimizer, runSearch, warmStartPart } from '@glmm/engine';
import { fusedGlm } from './fused-glm.js';
import type { LaplaceDeviance } from './laplace-deviance.js';
import { momentThetaStart } from './moment-start.js';

/** Where the search over (theta, beta) starts, and the scaling it runs in. */
export interface LaplaceStart {
  /** The starting point (theta, beta[, log family parameter]) on the natural scale. */
  readonly x: Float64Array;
  /** Lower Cholesky factor L_XX of X'WX at the start: beta = beta0 + L_XX^{-T} delta whitens the search. */
  readonly Lxx: Float64Array;
  /** theta as stage 1 left it (before a moment estimate replaced it): it sizes derivative-free steps. */
  readonly stage1Theta: Float64Array;
  /** Iterations and optimisers of stage 1 (none when it was skipped). */
  readonly iterations: number;
  readonly methods: readonly string[];
}

/**
 * The start of a GLMM search, as lme4's glmer: the GLM without random
 * effects (fused row passes for the grouped kernel, the joint PIRLS at
 * theta = 0 otherwise), then stage 1, theta with beta profiled in PIRLS
 * (lme4's nAGQ = 0).  Where the deviance has an exact gradient, stage 1 is
 * skipped: quasi-Newton or Newton gets there faster from lme4's theta = 1
 * or from moment estimates of theta.  A caller's warm start
 * (FitOptions.start) replaces theta and beta.
 */
export function laplaceStart(deviance: LaplaceDeviance, monitor: FitMonitor = new FitMonitor(undefined, undefined)): LaplaceStart {
  const { problem, re, objective, response, kernel, nTheta, p } = deviance;
  const { model, family, link, options } = problem;
  const warmTheta = warmStartPart(options.start, 'theta', nTheta, re.lower);
  const warmBeta = warmStartPart(options.start, 'beta', p);
  const glm = kernel.kind === 'grouped' ? fusedGlm(model, family, link) : null;
  if (!glm) {
    objective.joint.beta.set(warmBeta ?? glmStartingBeta(response) ?? new Float64Array(p));
    objective.stage1(new Float64Array(nTheta));
  }
  // A family parameter starts from the GLM's means (the family's own start) or the caller's value.
  const parameter = deviance.parameter ? startingParameter(deviance) : null;
  if (parameter !== null) deviance.fixParameter(parameter);
  let theta = warmTheta ?? re.initialTheta();
  let iterations = 0;
  const methods: string[] = [];
  if (!warmTheta && kernel.kind === 'gradient' && re.nTerms > 1) theta = momentThetaStart(re, response, theta, 0.05);
  if (!warmTheta && kernel.kind === 'pirls') {
    const stage1 = stageOne(deviance, theta, monitor);
    theta = stage1.x;
    iterations = stage1.iterations;
    methods.push(...stage1.methods);
  }
  // The joint mode at theta gives beta and R_X; with stage 1 skipped the GLM
  // fit above (theta = 0) already holds both.
  if (kernel.kind === 'pirls') objective.stage1(theta);
  const beta = warmBeta ?? (glm ? glm.beta : Float64Array.from(objective.joint.beta));
  if (!glm) objective.pirls.u.set(objective.joint.u);
  const sys = objective.joint.system;
  const at = glm ? 0 : sys.pattern.diagOffset[sys.xNode]!;
  const Lxx = glm ? glm.cholXtWX : p > 0 ? sys.chol.values.slice(at, at + p * p) : new Float64Array(0);
  const x = new Float64Array(nTheta + p + (parameter !== null ? 1 : 0));
  x.set(theta);
  x.set(beta, nTheta);
  if (parameter !== null) x[nTheta + p] = Math.log(parameter);
  // One scalar term: start theta at its moment estimate, not lme4's 1 (fewer Newton steps).
  if (!warmTheta && kernel.kind === 'grouped') x[0] = kernel.grouped.momentTheta(beta, 0.05);
  return { x, Lxx, stage1Theta: theta, iterations, methods };
}

/** The family parameter's start: the caller's, else the family's from the GLM's means, inside its bounds. */
function startingParameter(deviance: LaplaceDeviance): number {
  const parameter = deviance.parameter!;
  const given = deviance.problem.options.start?.parameter;
  if (given !== undefined && !(given > parameter.lower && given < parameter.upper))
    throw new GlmmInputError(`start.parameter must lie in (${parameter.lower}, ${parameter.upper}), the range of the ${parameter.name}; got ${given}`);
  const { y, weights } = deviance.problem.model;
  const value = given ?? parameter.start(y, deviance.response.mu, weights);
  return value > parameter.lower && value < parameter.upper ? value : Math.min(Math.max(1, parameter.lower * 2), parameter.upper / 2);
}

/** Stage 1: theta with beta profiled in PIRLS, derivative-free, to a loose tolerance (only a start). */
function stageOne(deviance: LaplaceDeviance, from: Float64Array, monitor: FitMonitor) {
  const { problem, re, objective, nTheta } = deviance;
  const method = optimizerMethod(pickOptimizer(problem.optimizers, ['bobyqa', 'nelder-mead']), () => ({
    lower: re.lower,
    initialStep: new Float64Array(nTheta).fill(0.25),
    maxEvaluations: problem.options.maxEvaluations,
    ftolRel: 1e-7,
    xtolAbs: 1e-3,
  }));
  return runSearch({ value: (theta) => objective.stage1(theta) }, { start: from, primary: method, fallback: null }, monitor);
}
