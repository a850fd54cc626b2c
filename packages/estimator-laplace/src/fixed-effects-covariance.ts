import { symmetrize } from '@glmm/engine';
import { backwardSolve, spdInverse } from '@glmm/linalg';
import { finiteDifferenceHessian } from './hessian.js';

/** The covariances read off the Hessian of the deviance at the optimum. */
export interface HessianCovariance {
  /** vcov(beta), p x p column-major. */
  readonly vcovBeta: Float64Array;
  /** Variance of the log family parameter (the coordinate after the deltas), when there is one. */
  readonly logParameterVariance: number | null;
}

/**
 * vcov(beta) = T [2 H^{-1}]_{delta,delta} T' where H is the Hessian of the
 * deviance in (theta, delta[, log parameter]) and T maps delta to beta;
 * the log family parameter's variance is 2 [H^{-1}] at its coordinate.
 * Thetas on their bound are held fixed (their one-sided curvature is not a
 * variance).  `f` is the deviance with the modes converged tightly; null
 * when the Hessian is not positive definite there.
 */
export function hessianCovariance(
  f: (x: Float64Array) => number,
  xHat: Float64Array,
  nTheta: number,
  p: number,
  lowerTheta: Float64Array,
  Lxx: Float64Array,
  gradient: ((x: Float64Array, out: Float64Array) => void) | null,
): HessianCovariance | null {
  const nExtra = xHat.length - nTheta - p;
  if (p === 0 && nExtra === 0) return { vcovBeta: new Float64Array(0), logParameterVariance: null };
  const free: number[] = [];
  const h: number[] = [];
  for (let i = 0; i < nTheta; i++) {
    const hi = 1e-3 * Math.max(Math.abs(xHat[i]!), 0.1);
    if (xHat[i]! - hi > lowerTheta[i]!) {
      free.push(i);
      h.push(hi);
    }
  }
  const off = free.length;
  for (let a = 0; a < p + nExtra; a++) {
    free.push(nTheta + a);
    h.push(a < p ? 1e-2 : 5e-3);
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
  // Covariance of delta, then beta = T delta with T = L_XX^{-T}.
  const vd = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) vd[c * p + a] = 2 * Hinv[(off + c) * d + off + a]!;
  const vcovBeta = deltaToBeta(vd, Lxx, p);
  for (let i = 0; i < p; i++) if (!(vcovBeta[i * p + i]! > 0)) return null;
  const last = d - 1;
  const logParameterVariance = nExtra > 0 && Hinv[last * d + last]! > 0 ? 2 * Hinv[last * d + last]! : null;
  return { vcovBeta, logParameterVariance };
}

/** T V T' with T = L_XX^{-T}: a covariance of delta on the scale of beta. */
function deltaToBeta(vd: Float64Array, Lxx: Float64Array, p: number): Float64Array {
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
