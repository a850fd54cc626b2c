import type { SearchObjective } from '@glmm/engine';
import { backwardSolve, forwardSolve } from '@glmm/linalg';
import { FINAL_TOLERANCE, type LaplaceDeviance } from './laplace-deviance.js';

/**
 * The Laplace deviance in the search's coordinates z = (theta, delta[, log
 * family parameter]), beta = beta0 + L_XX^{-T} delta, so that one unit of delta is about one
 * standard error in every direction (MIDAS's internal scaling), which keeps
 * derivative-free and quasi-Newton searches well conditioned:
 * g_delta = L^{-1} g_beta, H_deltadelta = L^{-1} H_betabeta L^{-T}.
 */
export class WhitenedObjective implements SearchObjective {
  private readonly nTheta: number;
  private readonly p: number;
  /** Every coordinate but the deltas (theta, and the family parameter's): whitening leaves them alone. */
  private readonly others: readonly number[];
  private readonly x: Float64Array;
  private readonly gx: Float64Array;
  private readonly Hx: Float64Array;
  private readonly col: Float64Array;
  private readonly M: Float64Array;
  readonly gradient?: (z: Float64Array, out: Float64Array) => void;
  readonly valueGradientHessian?: (z: Float64Array, g: Float64Array, H: Float64Array) => number;

  constructor(
    readonly deviance: LaplaceDeviance,
    /** beta at delta = 0. */
    readonly beta0: Float64Array,
    /** Lower Cholesky factor of X'WX, column-major p x p. */
    readonly Lxx: Float64Array,
  ) {
    this.nTheta = deviance.nTheta;
    this.p = deviance.p;
    const d = deviance.layout.nTheta + deviance.layout.nBeta + deviance.layout.nFamily;
    this.others = Array.from({ length: d }, (_, i) => i).filter((i) => i < this.nTheta || i >= this.nTheta + this.p);
    this.x = new Float64Array(d);
    this.gx = new Float64Array(d);
    this.Hx = new Float64Array(deviance.valueGradientHessian ? d * d : 0);
    this.col = new Float64Array(this.p);
    this.M = new Float64Array(this.p * this.p);
    if (deviance.gradient) this.gradient = (z, out) => this.whitenedGradient(z, out);
    if (deviance.valueGradientHessian) this.valueGradientHessian = (z, g, H) => this.whitenedNewton(z, g, H);
  }

  /** x = (theta, beta[, log parameter]) at z. */
  toNatural(z: Float64Array, out: Float64Array = new Float64Array(z.length)): Float64Array {
    const { nTheta, p } = this;
    out.set(z);
    const d = out.subarray(nTheta, nTheta + p);
    if (p > 0) backwardSolve(this.Lxx, p, d);
    for (let a = 0; a < p; a++) d[a]! += this.beta0[a]!;
    return out;
  }

  /** z at x = (theta, beta[, log parameter]). */
  fromNatural(x: Float64Array): Float64Array {
    const { nTheta, p } = this;
    const z = Float64Array.from(x);
    for (let a = 0; a < p; a++) {
      let s = 0;
      // delta = L' (beta - beta0)
      for (let c = a; c < p; c++) s += this.Lxx[a * p + c]! * (x[nTheta + c]! - this.beta0[c]!);
      z[nTheta + a] = s;
    }
    return z;
  }

  value(z: Float64Array): number {
    return this.deviance.value(this.toNatural(z, this.x));
  }

  /** The value with the modes converged to the final tolerance (standard errors at the optimum). */
  tightValue(z: Float64Array): number {
    return this.deviance.valueAt(this.toNatural(z, this.x), FINAL_TOLERANCE);
  }

  private whitenedGradient(z: Float64Array, out: Float64Array): void {
    this.deviance.gradient!(this.toNatural(z, this.x), this.gx);
    this.transformGradient(out);
  }

  private transformGradient(out: Float64Array): void {
    const { nTheta, p, gx } = this;
    out.set(gx);
    if (p > 0) forwardSolve(this.Lxx, p, out.subarray(nTheta, nTheta + p));
  }

  private whitenedNewton(z: Float64Array, g: Float64Array, H: Float64Array): number {
    const value = this.deviance.valueGradientHessian!(this.toNatural(z, this.x), this.gx, this.Hx);
    if (!(value < Infinity)) return Infinity;
    this.transformGradient(g);
    this.transformHessian(H);
    return value;
  }

  /** H_z = J' H_x J with J = I but L^{-T} on the deltas. */
  private transformHessian(H: Float64Array): void {
    const { nTheta: T, p, Hx, col, M, Lxx } = this;
    const d = this.x.length;
    H.set(Hx);
    // (theta or parameter)-delta blocks: L^{-1} H_beta,t.
    for (const t of this.others) {
      for (let a = 0; a < p; a++) col[a] = Hx[t * d + T + a]!;
      if (p > 0) forwardSolve(Lxx, p, col);
      for (let a = 0; a < p; a++) {
        H[t * d + T + a] = col[a]!;
        H[(T + a) * d + t] = col[a]!;
      }
    }
    // delta-delta block: L^{-1} (L^{-1} H_betabeta)'.
    for (let c = 0; c < p; c++) {
      for (let a = 0; a < p; a++) col[a] = Hx[(T + c) * d + T + a]!;
      forwardSolve(Lxx, p, col);
      for (let a = 0; a < p; a++) M[a * p + c] = col[a]!;
    }
    for (let c = 0; c < p; c++) {
      col.set(M.subarray(c * p, c * p + p));
      forwardSolve(Lxx, p, col);
      for (let a = 0; a < p; a++) H[(T + c) * d + T + a] = col[a]!;
    }
  }
}
