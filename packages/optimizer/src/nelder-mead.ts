import type { OptimizerOptions, OptimizerResult } from '@glmm/core';
import { projectInto, resolveBox, type Box } from './box.js';
import { countedObjective, type CountedObjective } from './counted-objective.js';

export const NELDER_MEAD_DEFAULTS = {
  maxEvaluations: 10000,
  ftolRel: 1e-12,
  xtolAbs: 1e-8,
} as const;

// Standard coefficients (Lagarias et al. 1998): reflection, expansion, contraction, shrink.
const REFLECT = 1;
const EXPAND = 2;
const CONTRACT = 0.5;
const SHRINK = 0.5;

/** Default initial step: 10% of the coordinate's magnitude, at least 0.1. */
export function defaultInitialStep(x0: Float64Array): Float64Array {
  const step = new Float64Array(x0.length);
  for (let j = 0; j < x0.length; j++) step[j] = 0.1 * Math.max(Math.abs(x0[j]!), 1);
  return step;
}

interface RunState {
  readonly f: CountedObjective;
  readonly box: Box;
  readonly maxEvaluations: number;
  readonly ftolRel: number;
  readonly xtolAbs: number;
  readonly onIteration?: ((iteration: number, fval: number, evaluations: number) => void) | undefined;
  /** Iterations reported so far (across both simplex runs). */
  reported: number;
}

interface RunResult {
  x: Float64Array;
  fval: number;
  iterations: number;
  converged: boolean;
  message: string;
}

/**
 * Bound-constrained Nelder-Mead in the manner of lme4's `Nelder_Mead` and
 * NLopt's neldermead: trial points are projected into the box, and the run
 * stops when the simplex is both flat in f and small in x.  A converged run is
 * restarted once from its best point with a fresh simplex, because a simplex
 * can collapse onto a face (often a bound) before reaching the minimum.
 */
export function nelderMead(
  objective: (x: Float64Array) => number,
  x0: Float64Array,
  options: OptimizerOptions = {},
): OptimizerResult {
  const n = x0.length;
  const box = resolveBox(n, options);
  const f = countedObjective(objective);
  const step = options.initialStep ?? defaultInitialStep(x0);
  if (step.length !== n) throw new RangeError(`initialStep has length ${step.length}, expected ${n}`);
  const state: RunState = {
    f,
    box,
    maxEvaluations: options.maxEvaluations ?? NELDER_MEAD_DEFAULTS.maxEvaluations,
    ftolRel: options.ftolRel ?? NELDER_MEAD_DEFAULTS.ftolRel,
    xtolAbs: options.xtolAbs ?? NELDER_MEAD_DEFAULTS.xtolAbs,
    onIteration: options.onIteration,
    reported: 0,
  };
  const start = projectInto(x0, box);
  if (n === 0) {
    const fval = f(start);
    return { x: start, fval, evaluations: f.count, iterations: 0, converged: true, message: 'no parameters' };
  }
  const first = runSimplex(state, start, step, 0);
  if (!first.converged) return { ...first, evaluations: f.count };

  const second = runSimplex(state, first.x, step, first.iterations);
  const improved = second.fval < first.fval;
  const best = improved ? second : first;
  // A restart that ran out of budget leaves the first convergence standing, at the better of the two points.
  const message = second.converged
    ? `${second.message}; restart ${improved ? 'improved' : 'confirmed'} the minimum`
    : `simplex converged; the restart check ${second.message}${improved ? ' after improving the minimum' : ''}`;
  return {
    x: best.x,
    fval: best.fval,
    evaluations: f.count,
    iterations: second.iterations,
    converged: true,
    message,
  };
}

function runSimplex(state: RunState, start: Float64Array, step: Float64Array, iterationsSoFar: number): RunResult {
  const { f, box, ftolRel, xtolAbs } = state;
  const n = start.length;
  const fStart = f(start);
  if (fStart === Infinity) {
    return {
      x: start,
      fval: fStart,
      iterations: iterationsSoFar,
      converged: false,
      message: 'objective is not finite at the starting point',
    };
  }
  const vertices: Float64Array[] = [Float64Array.from(start)];
  const values: number[] = [fStart];
  for (let j = 0; j < n; j++) {
    const { vertex, value } = initialVertex(f, box, start, j, step[j]!);
    vertices.push(vertex);
    values.push(value);
  }

  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = new Float64Array(n);
  const trial2 = new Float64Array(n);
  let iterations = iterationsSoFar;

  // Only evaluations cap a derivative-free run (FitOptions.maxEvaluations); maxIterations is
  // meant for inner solvers and quasi-Newton steps, so it is deliberately ignored here.
  const budgetLeft = (): boolean => f.count < state.maxEvaluations;

  for (;;) {
    order.sort((a, b) => values[a]! - values[b]! || a - b);
    const best = order[0]!;
    const worst = order[n]!;
    const fBest = values[best]!;
    const fWorst = values[worst]!;
    if (isConverged(vertices, order, fBest, fWorst, ftolRel, xtolAbs)) {
      return { x: vertices[best]!, fval: fBest, iterations, converged: true, message: 'simplex converged' };
    }
    if (!budgetLeft()) {
      return {
        x: vertices[best]!,
        fval: fBest,
        iterations,
        converged: false,
        message: 'stopped at maxEvaluations before the simplex converged',
      };
    }
    if (iterations > state.reported) {
      state.reported = iterations;
      state.onIteration?.(iterations, fBest, f.count);
    }
    iterations++;

    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const v = vertices[order[i]!]!;
      for (let j = 0; j < n; j++) centroid[j]! += v[j]! / n;
    }
    const xWorst = vertices[worst]!;
    const fSecondWorst = values[order[n - 1]!]!;

    along(centroid, xWorst, -REFLECT, box, trial);
    const fr = f(trial);
    if (fr < fBest) {
      along(centroid, xWorst, -EXPAND, box, trial2);
      const fe = f(trial2);
      if (fe < fr) replace(vertices, values, worst, trial2, fe);
      else replace(vertices, values, worst, trial, fr);
      continue;
    }
    if (fr < fSecondWorst) {
      replace(vertices, values, worst, trial, fr);
      continue;
    }
    if (fr < fWorst) {
      // Outside contraction: between the centroid and the reflected point.
      along(centroid, xWorst, -REFLECT * CONTRACT, box, trial2);
      const fc = f(trial2);
      if (fc <= fr) {
        replace(vertices, values, worst, trial2, fc);
        continue;
      }
    } else {
      // Inside contraction: between the centroid and the worst point.
      along(centroid, xWorst, CONTRACT, box, trial2);
      const fcc = f(trial2);
      if (fcc < fWorst) {
        replace(vertices, values, worst, trial2, fcc);
        continue;
      }
    }
    // Shrink towards the best vertex; convex combinations of feasible points stay feasible.
    const xBest = vertices[best]!;
    for (let i = 1; i <= n; i++) {
      const k = order[i]!;
      const v = vertices[k]!;
      for (let j = 0; j < n; j++) v[j] = xBest[j]! + SHRINK * (v[j]! - xBest[j]!);
      values[k] = f(v);
    }
  }
}

/** out = P(c + t (w - c)): t = -1 reflects w through c, t = 1/2 contracts towards w. */
function along(c: Float64Array, w: Float64Array, t: number, box: Box, out: Float64Array): void {
  for (let j = 0; j < c.length; j++) out[j] = c[j]! + t * (w[j]! - c[j]!);
  projectInto(out, box, out);
}

function replace(vertices: Float64Array[], values: number[], k: number, x: Float64Array, fx: number): void {
  vertices[k]!.set(x);
  values[k] = fx;
}

/**
 * Flat in f (spread relative to max(|f|, 1), so a minimum of 0 can be reached)
 * and small in x (largest coordinate distance from the best vertex).
 */
function isConverged(
  vertices: readonly Float64Array[],
  order: readonly number[],
  fBest: number,
  fWorst: number,
  ftolRel: number,
  xtolAbs: number,
): boolean {
  if (!(fWorst - fBest <= ftolRel * Math.max(Math.abs(fBest), 1))) return false;
  const xBest = vertices[order[0]!]!;
  for (let i = 1; i < order.length; i++) {
    const v = vertices[order[i]!]!;
    for (let j = 0; j < v.length; j++) if (Math.abs(v[j]! - xBest[j]!) > xtolAbs) return false;
  }
  return true;
}

/**
 * The vertex start + step e_j, moved to the other side when it would leave
 * the box, and shortened when the objective is infinite there, so the initial
 * simplex is feasible and (where possible) finite.
 */
function initialVertex(
  f: CountedObjective,
  box: Box,
  start: Float64Array,
  j: number,
  step: number,
): { vertex: Float64Array; value: number } {
  const x = start[j]!;
  const roomUp = box.upper[j]! - x;
  const roomDown = x - box.lower[j]!;
  let h = Math.abs(step) || 0.1;
  let sign = step < 0 ? -1 : 1;
  if (sign > 0 ? h > roomUp : h > roomDown) {
    if ((sign > 0 ? roomDown : roomUp) >= h) sign = -sign;
    else {
      // Neither side has room for the full step: use the larger side.
      sign = roomUp >= roomDown ? 1 : -1;
      h = Math.max(roomUp, roomDown);
    }
  }
  const vertex = Float64Array.from(start);
  let value: number;
  for (let attempt = 0; attempt < 8; attempt++) {
    for (const s of [sign, -sign]) {
      const room = s > 0 ? roomUp : roomDown;
      if (h > room || h === 0) continue;
      vertex[j] = x + s * h;
      value = f(vertex);
      if (value < Infinity) return { vertex, value };
    }
    h *= 0.25;
  }
  vertex[j] = x + sign * Math.min(h, sign > 0 ? roomUp : roomDown);
  return { vertex, value: f(vertex) };
}
