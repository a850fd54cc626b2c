import type { FitProblem } from '@glmm/core';
import { newtonMethod, optimizerMethod, pickOptimizer, type SearchMethod, type SearchPlan } from '@glmm/engine';
import type { LaplaceStart } from './laplace-start.js';
import type { WhitenedObjective } from './whitened-objective.js';

/**
 * The searches over (theta, delta), by what the deviance offers: Newton's
 * method where each evaluation brings an approximate Hessian (the grouped
 * kernel), quasi-Newton on the exact gradient, else the quadratic-model
 * trust region (bobyqa), which beats quasi-Newton on finite differences
 * (2d evaluations a gradient).  Either way the other one gets a second try
 * if the first does not converge.
 */
export function laplaceSearchPlan(problem: FitProblem, objective: WhitenedObjective, start: LaplaceStart, z0: Float64Array): SearchPlan {
  const { options } = problem;
  const { re, nTheta, p, layout } = objective.deviance;
  const dim = z0.length;
  // The deltas are unbounded; theta and the log family parameter keep the layout's bounds.
  const lower = Float64Array.from(layout.lower, (v, i) => (i >= nTheta && i < nTheta + p ? -Infinity : v));
  const upper = Float64Array.from(layout.upper, (v, i) => (i >= nTheta && i < nTheta + p ? Infinity : v));
  const step = new Float64Array(dim).fill(1);
  for (let i = 0; i < nTheta; i++) step[i] = Math.max(0.05, 0.2 * Math.abs(start.stage1Theta[i]!));
  for (let i = nTheta + p; i < dim; i++) step[i] = 0.25;
  const derivativeFree = optimizerMethod(pickOptimizer(problem.optimizers, ['bobyqa', 'nelder-mead']), () => ({
    lower,
    upper,
    initialStep: step,
    maxEvaluations: options.maxEvaluations,
    ftolRel: 1e-12,
    xtolAbs: Math.min(options.tolerance, 1e-5),
  }));
  const polish = problem.optimizers.find((o) => o.name === 'quasi-newton');
  // theta and delta have very different curvature: quasi-Newton starts from the
  // Hessian at its starting point (d gradients) rather than discovering it step by step.
  const quasiNewton: SearchMethod | null = polish
    ? optimizerMethod(polish, () => ({ lower, upper, maxIterations: options.maxIterations, maxEvaluations: options.maxEvaluations, ftolRel: 1e-12 }), true)
    : null;
  // A search can stop with a diagonal entry of a Lambda_t at 0 and the rest
  // of its column pointing the wrong way: search again from the mirror image.
  const restarts = (z: Float64Array) =>
    re.zeroDiagonalRestarts(z.subarray(0, nTheta), 1e-2).map((theta) => {
      const from = Float64Array.from(z);
      from.set(theta);
      return from;
    });
  if (objective.valueGradientHessian) {
    const newton = newtonMethod({ lower, maxIterations: options.maxIterations, ftolRel: 1e-12 });
    return { start: z0, primary: newton, fallback: quasiNewton ?? derivativeFree, restarts };
  }
  if (objective.gradient && quasiNewton) return { start: z0, primary: quasiNewton, fallback: derivativeFree, restarts };
  return { start: z0, primary: derivativeFree, fallback: quasiNewton, restarts };
}
