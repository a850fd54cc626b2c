import type { Optimizer, OptimizerOptions, OptimizerResult } from '@glmm/core';
import { approximateNewton } from '@glmm/optimizer';
import type { FitMonitor } from './fit-monitor.js';
import { forwardHessian } from './hessian-differences.js';

/** An objective in the coordinates a search runs in, with whatever derivatives it has. */
export interface SearchObjective {
  value(x: Float64Array): number;
  gradient?(x: Float64Array, out: Float64Array): void;
  /** Value, exact gradient and a Hessian good for Newton steps. */
  valueGradientHessian?(x: Float64Array, g: Float64Array, H: Float64Array): number;
}

export type IterationReport = (iteration: number, fval: number, evaluations: number) => void;

/** One way to minimise a SearchObjective from a point: Newton, quasi-Newton, bobyqa... */
export interface SearchMethod {
  /** Reported in ConvergenceInfo.optimizer. */
  readonly name: string;
  search(objective: SearchObjective, from: Float64Array, onIteration: IterationReport): OptimizerResult;
}

/**
 * What an estimator decides; the driver does the rest:
 * start -> primary search -> fallback (from where the primary stopped, if
 * it did not converge) -> zero-diagonal restarts -> (finalise, by the estimator).
 */
export interface SearchPlan {
  readonly start: Float64Array;
  readonly primary: SearchMethod;
  readonly fallback: SearchMethod | null;
  /**
   * Points to search again from, given the best point so far: where a
   * diagonal entry of some Lambda_t sits at 0 with the rest of its column
   * pointing the wrong way (RandomEffectsStructure.zeroDiagonalRestarts).
   */
  readonly restarts?: (x: Float64Array) => readonly Float64Array[];
}

export interface SearchOutcome extends OptimizerResult {
  /** The methods that ran, in order, without repeats. */
  readonly methods: readonly string[];
}

/** Rounds of zero-diagonal restarts (each can expose another). */
const RESTART_ROUNDS = 3;

/**
 * The one optimisation driver of REML/ML, Laplace and AGQ.  Every
 * evaluation goes through the monitor, so progress is reported per
 * iteration and an aborted fit stops at its next evaluation.
 */
export function runSearch(objective: SearchObjective, plan: SearchPlan, monitor: FitMonitor): SearchOutcome {
  const guarded = guardedObjective(objective, monitor);
  const report: IterationReport = (_iteration, fval) => monitor.iterationDone(fval);
  const methods = [plan.primary.name];
  const first = plan.primary.search(guarded, plan.start, report);
  let best: OptimizerResult = first;
  let iterations = first.iterations;
  let restartWith = plan.primary;
  if (!first.converged && plan.fallback) {
    const from = first.fval < Infinity ? first.x : plan.start;
    const second = plan.fallback.search(guarded, from, report);
    methods.push(plan.fallback.name);
    iterations += second.iterations;
    restartWith = plan.fallback;
    best = second.fval <= first.fval ? { ...second, message: `${plan.primary.name}: ${first.message}; then ${second.message}` } : first;
  }
  for (let round = 0; round < RESTART_ROUNDS && plan.restarts; round++) {
    let improved = false;
    for (const from of plan.restarts(best.x)) {
      const again = restartWith.search(guarded, from, report);
      iterations += again.iterations;
      const better = again.fval < best.fval - 1e-9 * Math.max(1, Math.abs(best.fval));
      if (better && (again.converged || !best.converged)) {
        best = again;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return { ...best, iterations, methods: [...new Set(methods)] };
}

function guardedObjective(objective: SearchObjective, monitor: FitMonitor): SearchObjective {
  const out: SearchObjective = { value: monitor.guard((x: Float64Array) => objective.value(x)) };
  if (objective.gradient) {
    const gradient = objective.gradient.bind(objective);
    out.gradient = monitor.guard((x: Float64Array, g: Float64Array) => gradient(x, g));
  }
  if (objective.valueGradientHessian) {
    const vgh = objective.valueGradientHessian.bind(objective);
    out.valueGradientHessian = monitor.guard((x: Float64Array, g: Float64Array, H: Float64Array) => vgh(x, g, H));
  }
  return out;
}

/** Newton's method on the objective's value, gradient and approximate Hessian (approximateNewton). */
export function newtonMethod(options: { readonly lower: Float64Array; readonly maxIterations: number; readonly ftolRel: number }): SearchMethod {
  return {
    name: 'newton',
    search(objective, from, onIteration) {
      const vgh = objective.valueGradientHessian;
      if (!vgh) throw new Error("Newton's method needs the objective's value, gradient and Hessian");
      return approximateNewton((x, g, H) => vgh(x, g, H), from, { ...options, onIteration });
    },
  };
}

/**
 * A registered optimiser plugin on the objective's value, given its exact
 * gradient where the objective has one; with `startCurvature`, a
 * gradient-based optimiser also starts from the Hessian at its starting
 * point (forward differences of the gradient) instead of a scaled identity.
 */
export function optimizerMethod(
  optimizer: Optimizer,
  options: (from: Float64Array) => OptimizerOptions,
  startCurvature = false,
): SearchMethod {
  return {
    name: optimizer.name,
    search(objective, from, onIteration) {
      const gradient = objective.gradient;
      const derivatives = gradient
        ? { gradient: (x: Float64Array, g: Float64Array) => gradient(x, g), ...(startCurvature ? { initialHessian: forwardHessian(gradient, from) } : {}) }
        : {};
      return optimizer.minimize((x) => objective.value(x), from, { ...options(from), ...derivatives, onIteration });
    },
  };
}
