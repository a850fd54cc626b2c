import type { OptimizerOptions, OptimizerResult } from '@glmm/core';
import { projectInto, resolveBox, type Box } from './box.js';
import { countedObjective, type CountedObjective } from './counted-objective.js';
import { finiteDifferenceGradient } from './finite-difference-gradient.js';

export const QUASI_NEWTON_DEFAULTS = {
  maxIterations: 200,
  maxEvaluations: 10000,
  ftolRel: 1e-10,
  /** Projected-gradient sup-norm, relative to max(|f|, 1), at which a point is stationary. */
  gtolRel: 1e-9,
} as const;

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 60;

/**
 * Bound-constrained BFGS on finite-difference gradients.
 *
 * A coordinate sitting on a bound with the gradient pushing outward is held
 * fixed for the iteration (projected-gradient active set); the search
 * direction uses the inverse-Hessian approximation restricted to the free
 * coordinates, and the backtracking Armijo line search projects every trial
 * point into the box, so a solution exactly on a bound (a variance at 0) is
 * reached exactly.
 */
export function quasiNewton(
  objective: (x: Float64Array) => number,
  x0: Float64Array,
  options: OptimizerOptions = {},
): OptimizerResult {
  const box = resolveBox(x0.length, options);
  const f = countedObjective(objective);
  let best = bfgsSearch(f, x0, box, options);
  // A coordinate on its bound with a zero derivative may be a stationary
  // point that is no minimum (a variance parameter of an objective even in
  // it has derivative exactly 0 at 0, whatever the curvature), which no
  // gradient step leaves.  Probe inward once per such coordinate and search
  // again from there if the objective drops.
  // On a bound or next to it (a search with finite differences stops short of a bound it approaches).
  // An infinite bound is never near: |v - Infinity| <= 1e-5 * Infinity would hold, and the probe would be NaN.
  const near = (v: number, bound: number) => Number.isFinite(bound) && Math.abs(v - bound) <= 1e-3 * PROBE_STEP * Math.max(1, Math.abs(bound));
  const atLowerOf = (x: Float64Array, j: number) => near(x[j]!, box.lower[j]!);
  const atUpperOf = (x: Float64Array, j: number) => near(x[j]!, box.upper[j]!);
  if (best.converged && best.x.some((_, j) => atLowerOf(best.x, j) || atUpperOf(best.x, j))) {
    const gradient = boundGradient(f, best, box, options);
    const scale = Math.sqrt(QUASI_NEWTON_DEFAULTS.gtolRel) * Math.max(Math.abs(best.fval), 1);
    for (let j = 0; j < best.x.length; j++) {
      const atLower = atLowerOf(best.x, j);
      const atUpper = !atLower && atUpperOf(best.x, j);
      if (!(atLower || atUpper) || Math.abs(gradient[j]!) > scale) continue;
      const probe = Float64Array.from(best.x);
      const delta = PROBE_STEP * Math.max(1, Math.abs(atLower ? box.lower[j]! : box.upper[j]!));
      probe[j] = atLower ? Math.min(box.lower[j]! + delta, box.upper[j]!) : Math.max(box.upper[j]! - delta, box.lower[j]!);
      if (f(probe) < best.fval) {
        const again = bfgsSearch(f, probe, box, options);
        if (again.fval < best.fval) best = { ...again, iterations: best.iterations + again.iterations };
      }
    }
  }
  return { ...best, evaluations: f.count };
}

/** Inward step of the probe off a bound, relative to max(1, |bound|). */
const PROBE_STEP = 1e-2;

/** The gradient at a search's result, exact or by finite differences. */
function boundGradient(f: CountedObjective, at: OptimizerResult, box: Box, options: OptimizerOptions): Float64Array {
  if (!options.gradient) return finiteDifferenceGradient(f, at.x, at.fval, box);
  const out = new Float64Array(at.x.length);
  options.gradient(at.x, out);
  return out;
}

/** One bound-constrained BFGS search from x0 (see quasiNewton). */
function bfgsSearch(f: CountedObjective, x0: Float64Array, box: Box, options: OptimizerOptions): OptimizerResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? QUASI_NEWTON_DEFAULTS.maxIterations;
  const maxEvaluations = options.maxEvaluations ?? QUASI_NEWTON_DEFAULTS.maxEvaluations;
  const ftolRel = options.ftolRel ?? QUASI_NEWTON_DEFAULTS.ftolRel;
  const gtolRel = QUASI_NEWTON_DEFAULTS.gtolRel;

  let x = projectInto(x0, box);
  let fx = f(x);
  const result = (converged: boolean, iterations: number, message: string): OptimizerResult => ({
    x,
    fval: fx,
    evaluations: f.count,
    iterations,
    converged,
    message,
  });
  if (!(fx < Infinity)) return result(false, 0, 'objective is not finite at the starting point');
  if (n === 0) return result(true, 0, 'no parameters');

  const gradientAt = (at: Float64Array, fAt: number): Float64Array => {
    if (!options.gradient) return finiteDifferenceGradient(f, at, fAt, box);
    const out = new Float64Array(n);
    options.gradient(at, out);
    return out;
  };
  let g = gradientAt(x, fx);
  const H = identity(n);
  let hessianIsIdentity = true;
  // Where the given Hessian is not positive definite (the objective is not
  // convex at x0), its diagonal magnitudes still set each coordinate's scale.
  const H0 = options.initialHessian
    ? (spdInverseOrNull(options.initialHessian, n) ?? diagonalScaleInverse(options.initialHessian, n))
    : null;
  if (H0) {
    H.set(H0);
    hessianIsIdentity = false;
  }
  const free = new Uint8Array(n);
  const pg = new Float64Array(n);
  const d = new Float64Array(n);
  const xTrial = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let smallChanges = 0;

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (iteration > 1) options.onIteration?.(iteration - 1, fx, f.count);
    projectedGradient(x, g, box, free, pg);
    const pgNorm = supNorm(pg);
    if (pgNorm <= gtolRel * Math.max(Math.abs(fx), 1)) {
      return result(true, iteration - 1, 'projected gradient is zero to tolerance');
    }
    if (f.count >= maxEvaluations) return result(false, iteration - 1, 'stopped at maxEvaluations');

    searchDirection(H, free, pg, d);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      resetToIdentity(H);
      hessianIsIdentity = true;
      searchDirection(H, free, pg, d);
      slope = dot(g, d);
    }
    if (hessianIsIdentity) {
      // Without curvature information a steepest-descent step of unit sup-norm is a safe first try.
      const scale = 1 / Math.max(supNorm(d), 1);
      for (let j = 0; j < n; j++) d[j]! *= scale;
    } else if (-slope / 2 <= 0.01 * ftolRel * Math.max(Math.abs(fx), 1)) {
      // The quasi-Newton model predicts a decrease below the objective's
      // resolution: the line search could only chase rounding noise.
      return result(true, iteration - 1, 'predicted decrease below ftolRel');
    }

    const step = lineSearch(f, x, fx, g, d, box, xTrial, maxEvaluations);
    if (step === null) {
      if (!hessianIsIdentity) {
        resetToIdentity(H);
        hessianIsIdentity = true;
        continue;
      }
      // No decrease even along the scaled steepest descent: the remaining
      // predicted gain is then below what the objective's rounding can show.
      const predicted = -dot(g, d);
      const converged = predicted <= Math.sqrt(ftolRel) * Math.max(Math.abs(fx), 1);
      return result(
        converged,
        iteration,
        converged
          ? 'no further decrease possible along the search direction (at the resolution of the objective)'
          : 'line search failed to find a decrease',
      );
    }

    const fNew = step;
    for (let j = 0; j < n; j++) s[j] = xTrial[j]! - x[j]!;
    const gNew = gradientAt(xTrial, fNew);
    for (let j = 0; j < n; j++) y[j] = gNew[j]! - g[j]!;
    const sy = dot(s, y);
    if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (hessianIsIdentity) {
        // Shanno-Phua scaling of the initial matrix before the first update.
        const gamma = sy / dot(y, y);
        for (let k = 0; k < n * n; k++) H[k]! *= gamma;
      }
      bfgsUpdate(H, s, y, sy, Hy);
      hessianIsIdentity = false;
    }

    const relChange = Math.abs(fx - fNew) / Math.max(Math.abs(fNew), 1);
    x = Float64Array.from(xTrial);
    fx = fNew;
    g = gNew;
    smallChanges = relChange <= ftolRel ? smallChanges + 1 : 0;
    if (smallChanges >= 2) {
      return result(true, iteration, 'relative change of the objective below ftolRel in two iterations');
    }
  }
  return result(false, maxIterations, 'stopped at maxIterations');
}

/** pg = g with the coordinates pinned at a bound by an outward gradient zeroed; `free` marks the rest. */
function projectedGradient(x: Float64Array, g: Float64Array, box: Box, free: Uint8Array, pg: Float64Array): void {
  for (let j = 0; j < x.length; j++) {
    const pinned = (x[j]! <= box.lower[j]! && g[j]! > 0) || (x[j]! >= box.upper[j]! && g[j]! < 0);
    free[j] = pinned ? 0 : 1;
    pg[j] = pinned ? 0 : g[j]!;
  }
}

/** d = -H_FF pg_F on the free coordinates, 0 on the pinned ones. */
function searchDirection(H: Float64Array, free: Uint8Array, pg: Float64Array, d: Float64Array): void {
  const n = pg.length;
  for (let i = 0; i < n; i++) {
    if (!free[i]) {
      d[i] = 0;
      continue;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) if (free[j]) sum += H[i * n + j]! * pg[j]!;
    d[i] = -sum;
  }
}

/**
 * Backtracking along the projected path x(t) = P(x + t d) with the Armijo
 * condition on the actual (projected) step. Returns f at the accepted point,
 * which is left in `out`, or null when no decrease was found.
 */
function lineSearch(
  f: CountedObjective,
  x: Float64Array,
  fx: number,
  g: Float64Array,
  d: Float64Array,
  box: Box,
  out: Float64Array,
  maxEvaluations: number,
): number | null {
  const n = x.length;
  let t = 1;
  for (let k = 0; k < MAX_BACKTRACKS && f.count < maxEvaluations; k++) {
    let moved = false;
    let gs = 0;
    for (let j = 0; j < n; j++) {
      const v = x[j]! + t * d[j]!;
      out[j] = v < box.lower[j]! ? box.lower[j]! : v > box.upper[j]! ? box.upper[j]! : v;
      if (out[j] !== x[j]) moved = true;
      gs += g[j]! * (out[j]! - x[j]!);
    }
    if (!moved) return null;
    const ft = f(out);
    if (ft <= fx + ARMIJO * gs && ft < fx) return ft;
    if (ft < Infinity && gs < 0) {
      // Minimiser of the quadratic through f(x), the slope and f(x(t)), kept within [0.1t, 0.5t].
      const tq = (-gs * t) / (2 * (ft - fx - gs));
      t = Math.min(Math.max(tq, 0.1 * t), 0.5 * t);
    } else {
      t *= 0.2;
    }
  }
  return null;
}

/** H <- (I - rho s y') H (I - rho y s') + rho s s', rho = 1 / s'y. */
function bfgsUpdate(H: Float64Array, s: Float64Array, y: Float64Array, sy: number, Hy: Float64Array): void {
  const n = s.length;
  const rho = 1 / sy;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += H[i * n + j]! * y[j]!;
    Hy[i] = sum;
  }
  const yHy = dot(y, Hy);
  const c = (1 + rho * yHy) * rho;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i * n + j]! += c * s[i]! * s[j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!);
    }
  }
}

function identity(n: number): Float64Array {
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  return H;
}

function resetToIdentity(H: Float64Array): void {
  const n = Math.round(Math.sqrt(H.length));
  H.fill(0);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j]! * b[j]!;
  return sum;
}

function supNorm(a: Float64Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]!));
  return m;
}

/** Inverse of a symmetric positive-definite matrix by Gauss-Jordan on a copy; null when not PD. */
function spdInverseOrNull(A: Float64Array, n: number): Float64Array | null {
  const a = Float64Array.from(A.subarray(0, n * n));
  // Symmetrise: a finite-difference Hessian is only nearly symmetric.
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = (a[i * n + j]! + a[j * n + i]!) / 2;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  const inv = identity(n);
  for (let c = 0; c < n; c++) {
    const p = a[c * n + c]!;
    if (!(p > 0)) return null;
    for (let j = 0; j < n; j++) {
      a[j * n + c]! /= p;
      inv[j * n + c]! /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[c * n + r]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        a[j * n + r]! -= f * a[j * n + c]!;
        inv[j * n + r]! -= f * inv[j * n + c]!;
      }
    }
  }
  return inv;
}

/** diag(1 / |A_ii|), with tiny or non-finite curvatures left at 1. */
function diagonalScaleInverse(A: Float64Array, n: number): Float64Array {
  const inv = identity(n);
  for (let i = 0; i < n; i++) {
    const a = Math.abs(A[i * n + i]!);
    if (a > 1e-8 && Number.isFinite(a)) inv[i * n + i] = 1 / a;
  }
  return inv;
}
