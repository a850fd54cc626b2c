import type { FitProblem } from '@glmm/core';
import { forwardSolve } from '@glmm/linalg';
import type { GroupedLaplace } from './grouped-laplace.js';

/*
 * Derivatives of the stage-2 objective in its coordinates (theta, delta),
 * beta = beta1 + L_XX^{-T} delta: the exact gradient, the grouped kernel's
 * value-gradient-Hessian, and Hessians from gradient differences.
 */

/**
 * The exact gradient in the stage-2 coordinates (theta, delta), from the
 * gradient in (theta, beta) at the mode f2 establishes at x (GroupedLaplace,
 * ScalarTermGradient or ScalarTermsGradient); other models use finite differences.
 */
export function exactGradient(
  modeGradient: (x: Float64Array, out: Float64Array) => void,
  p: number,
  f2: (x: Float64Array, tol?: number) => number,
  Lxx: Float64Array,
  nTheta: number,
): (x: Float64Array, out: Float64Array) => void {
  const g = new Float64Array(nTheta + p);
  return (x, out) => {
    // Re-establish the mode at x: the gradient needs u and eta there.
    if (!(f2(x, 1e-12) < Infinity)) {
      // No mode here (the optimisers only ask at finite points; be safe anyway).
      out.fill(Number.NaN);
      return;
    }
    modeGradient(x, g);
    for (let t = 0; t < nTheta; t++) out[t] = g[t]!;
    // d f / d delta = T' d f / d beta with T = L_XX^{-T}, i.e. a solve with L_XX.
    const gb = g.subarray(nTheta);
    if (p > 0) forwardSolve(Lxx, p, gb);
    for (let a = 0; a < p; a++) out[nTheta + a] = gb[a]!;
  };
}

/**
 * The grouped kernel's value, exact gradient and approximate Hessian in the
 * stage-2 coordinates (theta, delta), beta = beta1 + T delta with
 * T = L_XX^{-T}: g_delta = T' g_beta and H_deltadelta = T' H_betabeta T.
 * `remember` lets the caller's value cache know the point just evaluated.
 */
export function groupedValueGradientHessian(
  grouped: GroupedLaplace,
  toBeta: (x: Float64Array, out: Float64Array) => Float64Array,
  betaBuf: Float64Array,
  Lxx: Float64Array,
  nTheta: number,
  p: number,
  gradientOut: Float64Array,
  remember: (x: Float64Array, value: number) => void,
): (x: Float64Array, g: Float64Array, H: Float64Array) => number {
  const k = 1 + p;
  const hb = new Float64Array(k * k);
  const col = new Float64Array(p);
  const M = new Float64Array(p * p);
  return (x, g, H) => {
    const beta = toBeta(x, betaBuf);
    const value = grouped.evaluate(x[0]!, beta, gradientOut, hb);
    remember(x, value);
    if (!(value < Infinity)) return Infinity;
    g[0] = gradientOut[0]!;
    col.set(gradientOut.subarray(1));
    if (p > 0) forwardSolve(Lxx, p, col);
    for (let a = 0; a < p; a++) g[nTheta + a] = col[a]!;
    const d = nTheta + p;
    H[0] = hb[0]!;
    // theta-delta block: L^{-1} H_betatheta.
    for (let a = 0; a < p; a++) col[a] = hb[1 + a]!;
    if (p > 0) forwardSolve(Lxx, p, col);
    for (let a = 0; a < p; a++) {
      H[nTheta + a] = col[a]!;
      H[(nTheta + a) * d] = col[a]!;
    }
    // delta-delta block: L^{-1} (L^{-1} H_betabeta)'.
    for (let c = 0; c < p; c++) {
      for (let a = 0; a < p; a++) col[a] = hb[(1 + c) * k + 1 + a]!;
      forwardSolve(Lxx, p, col);
      for (let a = 0; a < p; a++) M[a * p + c] = col[a]!;
    }
    for (let c = 0; c < p; c++) {
      col.set(M.subarray(c * p, c * p + p));
      forwardSolve(Lxx, p, col);
      for (let a = 0; a < p; a++) H[(nTheta + c) * d + nTheta + a] = col[a]!;
    }
    return value;
  };
}

/** One scalar random-effects term, no dispersion parameter, Laplace: ScalarTermGradient applies. */
export function exactGradientApplies(problem: FitProblem, nAGQ: number): boolean {
  const { model, family } = problem;
  return nAGQ === 1 && !family.hasDispersion && model.terms.length === 1 && model.terms[0]!.columns.length === 1;
}

/** Hessian by forward differences of an exact gradient (d + 1 gradients), symmetrised. */
export function forwardHessian(gradient: (x: Float64Array, out: Float64Array) => void, x: Float64Array): Float64Array {
  const d = x.length;
  const g0 = new Float64Array(d);
  const g1 = new Float64Array(d);
  const y = Float64Array.from(x);
  gradient(x, g0);
  const H = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const h = 1e-3 * Math.max(Math.abs(x[k]!), 0.1);
    y.set(x);
    y[k]! += h;
    gradient(y, g1);
    for (let i = 0; i < d; i++) H[k * d + i] = (g1[i]! - g0[i]!) / h;
  }
  return symmetrize(H, d);
}

/** (H + H') / 2 in place: difference Hessians are only nearly symmetric. */
export function symmetrize(H: Float64Array, d: number): Float64Array {
  for (let i = 0; i < d; i++)
    for (let k = 0; k < i; k++) {
      const v = (H[k * d + i]! + H[i * d + k]!) / 2;
      H[k * d + i] = v;
      H[i * d + k] = v;
    }
  return H;
}
