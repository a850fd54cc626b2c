import { symmetrize } from '@glmm/engine';
import { backwardSolve, spdInverse } from '@glmm/linalg';
import { finiteDifferenceHessian } from './hessian.js';

/**
 * vcov(beta) = T [2 H^{-1}]_{delta,delta} T' where H is the Hessian of the
 * deviance in (theta, delta) and T maps delta to beta.  Thetas on their
 * bound are held fixed (their one-sided curvature is not a variance).
 * `f` is the deviance in (theta, delta) with the modes converged tightly;
 * null when the Hessian is not positive definite there.
 */
export function hessianCovariance(
  f: (x: Float64Array) => number,
  xHat: Float64Array,
  nTheta: number,
  p: number,
  lowerTheta: Float64Array,
  Lxx: Float64Array,
  gradient: ((x: Float64Array, out: Float64Array) => void) | null,
): Float64Array | null {
  if (p === 0) return new Float64Array(0);
  const free: number[] = [];
  const h: number[] = [];
  for (let i = 0; i < nTheta; i++) {
    const hi = 1e-3 * Math.max(Math.abs(xHat[i]!), 0.1);
    if (xHat[i]! - hi > lowerTheta[i]!) {
      free.push(i);
      h.push(hi);
    }
  }
  for (let a = 0; a < p; a++) {
    free.push(nTheta + a);
    h.push(1e-2);
  }
  const d = free.length;
  const y = Float64Array.from(xHat);
  const sub = (z: Float64Array): number => {
    y.set(xHat);
    for (let i = 0; i < d; i++) y[free[i]!] = z[i]!;
    return f(y);
  };
  const z0 = Float64Array.from(free.map((i) => xHat[i]!));
  const H = gradient ? gradientHessian(gradient, xHat, free, h) : finiteDifferenceHessian(sub, z0, Float64Array.from(h));
  const Hinv = spdInverse(H, d);
  if (!Hinv) return null;
  const off = d - p;
  // Covariance of delta, then beta = T delta with T = L_XX^{-T}.
  const vd = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) vd[c * p + a] = 2 * Hinv[(off + c) * d + off + a]!;
  const T = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    const e = new Float64Array(p);
    e[c] = 1;
    backwardSolve(Lxx, p, e);
    T.set(e, c * p);
  }
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++)
    for (let c = 0; c < p; c++) {
      let s = 0;
      for (let k = 0; k < p; k++) for (let m = 0; m < p; m++) s += T[k * p + a]! * vd[m * p + k]! * T[m * p + c]!;
      out[c * p + a] = s;
    }
  for (let i = 0; i < p; i++) if (!(out[i * p + i]! > 0)) return null;
  return out;
}

/**
 * Hessian on the free coordinates by forward differences of the exact
 * gradient (d + 1 gradients), symmetrised.  Its O(h) error is ~0.1% of the
 * curvature at h = 1e-3, far inside what standard errors need, and it costs
 * half of central differences.
 */
export function gradientHessian(
  gradient: (x: Float64Array, out: Float64Array) => void,
  xHat: Float64Array,
  free: readonly number[],
  h: readonly number[],
): Float64Array {
  const d = free.length;
  const H = new Float64Array(d * d);
  const y = Float64Array.from(xHat);
  const g0 = new Float64Array(xHat.length);
  const gp = new Float64Array(xHat.length);
  gradient(xHat, g0);
  for (let k = 0; k < d; k++) {
    y.set(xHat);
    y[free[k]!]! += h[k]!;
    gradient(y, gp);
    for (let i = 0; i < d; i++) H[k * d + i] = (gp[free[i]!]! - g0[free[i]!]!) / h[k]!;
  }
  return symmetrize(H, d);
}
