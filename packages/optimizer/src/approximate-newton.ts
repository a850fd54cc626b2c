import type { OptimizerResult } from '@glmm/core';
import { backwardSolve, choleskyInPlace, forwardSolve } from '@glmm/linalg';

/** Value at x, with the exact gradient and an approximate Hessian (column-major d x d) written into g and H. */
export type ValueGradientHessian = (x: Float64Array, g: Float64Array, H: Float64Array) => number;

export interface ApproximateNewtonOptions {
  readonly lower: Float64Array;
  readonly maxIterations: number;
  /** Stop when the predicted decrease g'H^{-1}g / 2 is below ftolRel * max(|f|, 1). */
  readonly ftolRel: number;
  /** After each iteration, with the value reached and the evaluations spent (progress; may throw to stop). */
  readonly onIteration?: (iteration: number, fval: number, evaluations: number) => void;
}

const ARMIJO = 1e-4;
/** Fraction of the distance to a lower bound that a step must leave. */
const BOUND_GAP = 0.1;
/** A coordinate this close to its bound (relative to 1 + |bound|) is tried on the bound at the end. */
const SNAP = 1e-3;
const MAX_BACKTRACKS = 30;

/**
 * Newton's method with an approximate Hessian supplied with every value, a
 * backtracking Armijo line search and simple bounds (a coordinate on its
 * lower bound with the gradient pushing outward is held for the iteration).
 * Where the Hessian is close to the true one (the Laplace kernel's, the
 * LMM's average-information one), this converges in a handful of
 * evaluations, where BFGS first has to learn the curvature.  A Hessian that is not positive definite on the free
 * coordinates is shifted (Levenberg) until it is.
 */
export function approximateNewton(fgh: ValueGradientHessian, x0: Float64Array, options: ApproximateNewtonOptions): OptimizerResult {
  const d = x0.length;
  const lower = options.lower;
  let x = Float64Array.from(x0, (v, i) => Math.max(v, lower[i]!));
  const g = new Float64Array(d);
  const H = new Float64Array(d * d);
  const gTrial = new Float64Array(d);
  const HTrial = new Float64Array(d * d);
  const xTrial = new Float64Array(d);
  const step = new Float64Array(d);
  let evaluations = 1;
  let fx = fgh(x, g, H);
  const done = (converged: boolean, iterations: number, message: string): OptimizerResult => {
    // A boundary optimum (a variance at 0) is only approached geometrically: try the bound itself.
    const nearBound = (i: number): boolean =>
      Number.isFinite(lower[i]!) && x[i]! > lower[i]! && x[i]! - lower[i]! <= SNAP * (1 + Math.abs(lower[i]!));
    let near = false;
    for (let i = 0; i < d; i++) if (nearBound(i)) near = true;
    if (near && converged) {
      for (let i = 0; i < d; i++) xTrial[i] = nearBound(i) ? lower[i]! : x[i]!;
      evaluations++;
      const fb = fgh(xTrial, gTrial, HTrial);
      if (fb <= fx) {
        x = Float64Array.from(xTrial);
        fx = fb;
      } else fgh(x, gTrial, HTrial); // leave the objective's state at the returned point
    }
    return { x, fval: fx, evaluations, iterations, converged, message };
  };
  if (!(fx < Infinity)) return done(false, 0, 'objective is not finite at the starting point');
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    if (iteration > 1) options.onIteration?.(iteration - 1, fx, evaluations);
    // On or next to its bound (within SNAP), a coordinate is held for the
    // iteration when the gradient does not point inward (projected Newton):
    // the other coordinates then take steps that do not count on it moving.
    // (A variance parameter at 0 has gradient exactly 0: the deviance is even in theta.)
    const free: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < d; i++) {
      const lb = lower[i]!;
      if (Number.isFinite(lb) && x[i]! - lb <= SNAP * (1 + Math.abs(lb)) && g[i]! >= 0) held.push(i);
      else free.push(i);
    }
    if (!newtonStep(H, g, free, d, step)) return done(false, iteration - 1, 'the approximate Hessian could not be made positive definite');
    // A held coordinate next to its bound goes onto it (projected Newton).
    for (const i of held) step[i] = lower[i]! - x[i]!;
    let slope = 0;
    for (let i = 0; i < d; i++) slope += g[i]! * step[i]!;
    if (-slope / 2 <= options.ftolRel * Math.max(Math.abs(fx), 1)) return done(true, iteration - 1, 'predicted decrease below ftolRel');
    let t = 1;
    let accepted = false;
    let fTrial = Infinity;
    for (let b = 0; b <= MAX_BACKTRACKS; b++, t /= 2) {
      // From inside the box a step goes at most 90% of the way to a bound:
      // landing on theta = 0 from an overshooting first step would leave the
      // search at a stationary point of the even function it is there.  A
      // boundary optimum is approached geometrically instead, and taken at the end.
      for (let i = 0; i < d; i++) {
        const next = x[i]! + t * step[i]!;
        const lb = lower[i]!;
        const gap = x[i]! - lb;
        const onto = held.includes(i);
        xTrial[i] = !onto && Number.isFinite(lb) && gap > 0 ? Math.max(next, lb + BOUND_GAP * gap) : Math.max(next, lb);
      }
      let decrease = 0;
      for (let i = 0; i < d; i++) decrease += g[i]! * (xTrial[i]! - x[i]!);
      evaluations++;
      fTrial = fgh(xTrial, gTrial, HTrial);
      if (fTrial <= fx + ARMIJO * Math.min(decrease, 0)) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      // No decrease at any step length: at the resolution of the objective, this is the minimum.
      const converged = -slope / 2 <= Math.sqrt(options.ftolRel) * Math.max(Math.abs(fx), 1);
      return done(converged, iteration, converged ? 'no further decrease at the resolution of the objective' : 'line search failed');
    }
    const change = Math.abs(fx - fTrial) / Math.max(Math.abs(fTrial), 1);
    x = Float64Array.from(xTrial);
    fx = fTrial;
    g.set(gTrial);
    H.set(HTrial);
    if (change <= options.ftolRel * 1e-2) return done(true, iteration, 'relative change of the objective below ftolRel');
  }
  return done(false, options.maxIterations, 'stopped at maxIterations');
}

/**
 * step = -H_ff^{-1} g_f on the free coordinates (0 elsewhere), shifting H_ff
 * by a multiple of its diagonal scale until the Cholesky factor exists.
 */
function newtonStep(H: Float64Array, g: Float64Array, free: readonly number[], d: number, step: Float64Array): boolean {
  const m = free.length;
  step.fill(0);
  if (m === 0) return true;
  let scale = 0;
  for (const i of free) scale = Math.max(scale, Math.abs(H[i * d + i]!));
  if (!(scale > 0 && Number.isFinite(scale))) scale = 1;
  const L = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  const factor = (shift: number): boolean => {
    for (let c = 0; c < m; c++)
      for (let r = 0; r < m; r++) L[c * m + r] = H[free[c]! * d + free[r]!]! + (r === c ? shift : 0);
    return choleskyInPlace(L, m);
  };
  for (let shift = 0, attempt = 0; attempt < 40; attempt++, shift = shift === 0 ? 1e-8 * scale : shift * 10) {
    if (!factor(shift)) continue;
    // The first shift that works can leave the matrix barely positive
    // definite (an enormous step); twice it keeps every eigenvalue >= shift.
    if (shift > 0 && !factor(2 * shift)) continue;
    for (let k = 0; k < m; k++) rhs[k] = -g[free[k]!]!;
    forwardSolve(L, m, rhs);
    backwardSolve(L, m, rhs);
    for (let k = 0; k < m; k++) step[free[k]!] = rhs[k]!;
    return true;
  }
  return false;
}
