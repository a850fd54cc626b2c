import { DenseLu } from './dense-lu.js';
import type { InterpolationModel } from './interpolation-model.js';
import { InterpolationPoints } from './interpolation-points.js';

/** Number of coefficients of a full quadratic in n variables, hence of interpolation points. */
export function quadraticPointCount(n: number): number {
  return ((n + 1) * (n + 2)) / 2;
}

/** Gradient and Hessian (row-major n x n) of a quadratic about the centre point. */
export interface QuadraticAtCentre {
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
}

/**
 * A full quadratic model interpolating f at (n+1)(n+2)/2 points, written about
 * the best point ("centre"): q(c + s) = f(c) + g's + s'Hs / 2.
 *
 * The interpolation system is refactorised from scratch after every change of
 * the point set: with n <= 15 the system has at most 136 rows, far cheaper than
 * one evaluation of the objectives this optimiser is for, and a fresh
 * factorisation cannot accumulate the drift of Powell's updating formulas.
 * Lagrange functions come from the same factorisation; their values measure
 * how well poised the set stays when a point is exchanged (the determinant of
 * the system scales by l_k(x) when point k is replaced by x).
 *
 * The basis is 1, u_i, u_i^2 / 2, u_i u_j (i < j) in u = (z - c) / scale with
 * `scale` the largest distance from c, and each column is equilibrated,
 * so the factorisation sees entries of order one however small the set is.
 */
export class QuadraticInterpolation extends InterpolationPoints implements InterpolationModel {
  /**
   * Every point enters the Hessian of a full interpolant, so a stale distant
   * point distorts the model directly: retire points sooner than Powell's 10 rho.
   */
  readonly staleDistance = 4;

  private readonly lu: DenseLu;
  private readonly system: Float64Array;
  private readonly columnScale: Float64Array;
  private scale = 1;
  /** The best point at the last refit: the origin of the model and of the basis. */
  private readonly centre: Float64Array;
  private readonly phi: Float64Array;
  private readonly coef: Float64Array;

  constructor(n: number) {
    super(n, quadraticPointCount(n));
    this.lu = new DenseLu(this.m);
    this.system = new Float64Array(this.m * this.m);
    this.columnScale = new Float64Array(this.m);
    this.centre = new Float64Array(n);
    this.phi = new Float64Array(this.m);
    this.coef = new Float64Array(this.m);
  }

  /**
   * Factorises the interpolation system about the current best point and
   * solves for the model. Returns false when the points are not poised
   * (the system is singular to working precision).
   */
  refit(): boolean {
    const { n, m } = this;
    let maxDist = 0;
    for (let k = 0; k < m; k++) maxDist = Math.max(maxDist, this.distanceFromBest(k));
    if (!(maxDist > 0)) return false;
    this.scale = maxDist;
    this.centre.set(this.point(this.best));
    const A = this.system;
    for (let k = 0; k < m; k++) this.basis(this.point(k), A.subarray(k * m, (k + 1) * m), false);
    for (let b = 0; b < m; b++) {
      let maxAbs = 0;
      for (let k = 0; k < m; k++) maxAbs = Math.max(maxAbs, Math.abs(A[k * m + b]!));
      if (!(maxAbs > 0)) return false;
      const s = 1 / maxAbs;
      this.columnScale[b] = s;
      for (let k = 0; k < m; k++) A[k * m + b]! *= s;
    }
    if (!this.lu.factorize(A)) return false;
    const rhs = this.coef;
    const fBest = this.values[this.best]!;
    // Differences from f(best) keep the large constant of a deviance out of the fit.
    for (let k = 0; k < m; k++) rhs[k] = this.values[k]! - fBest;
    this.lu.solve(rhs, rhs);
    this.toDerivatives(rhs, this.model);
    for (let j = 0; j < n * n; j++) if (!Number.isFinite(this.model.hessian[j]!)) return false;
    return true;
  }

  /** Predicted change q(c + s) - q(c) = g's + s'Hs / 2 of the model. */
  predictedChange(s: ArrayLike<number>): number {
    return quadraticValue(this.model, s);
  }

  /** Values l_k(x) of all Lagrange functions at x, written to `out`. */
  lagrangeValues(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.m)): Float64Array {
    this.basis(x, this.phi, true);
    return this.lu.solveTransposed(this.phi, out);
  }

  /** For full interpolation the determinant ratio of an exchange is l_k(x), so the weight is l_k(x)^2. */
  replacementWeights(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.m)): Float64Array {
    this.lagrangeValues(x, out);
    for (let k = 0; k < this.m; k++) out[k] = out[k]! * out[k]!;
    return out;
  }

  /** Gradient and Hessian at the centre of the Lagrange function of point k (its value there is 0 or 1). */
  lagrangeFunction(k: number): QuadraticAtCentre {
    const e = new Float64Array(this.m);
    e[k] = 1;
    this.lu.solve(e, e);
    const out = { gradient: new Float64Array(this.n), hessian: new Float64Array(this.n * this.n) };
    this.toDerivatives(e, out);
    return out;
  }

  /** Basis values at x (absolute coordinates); `scaled` applies the column equilibration. */
  private basis(x: ArrayLike<number>, out: Float64Array, scaled: boolean): void {
    const n = this.n;
    const c = this.centre;
    const inv = 1 / this.scale;
    out[0] = 1;
    let b = 1 + n;
    for (let i = 0; i < n; i++) {
      const ui = (x[i]! - c[i]!) * inv;
      out[1 + i] = ui;
      for (let j = 0; j <= i; j++) {
        const uj = (x[j]! - c[j]!) * inv;
        out[b++] = i === j ? 0.5 * ui * ui : ui * uj;
      }
    }
    if (scaled) for (let k = 0; k < this.m; k++) out[k]! *= this.columnScale[k]!;
  }

  /** Maps solved (equilibrated) coefficients to the gradient and Hessian in absolute coordinates. */
  private toDerivatives(coef: Float64Array, out: QuadraticAtCentre): void {
    const n = this.n;
    const inv = 1 / this.scale;
    const inv2 = inv * inv;
    for (let i = 0; i < n; i++) out.gradient[i] = coef[1 + i]! * this.columnScale[1 + i]! * inv;
    let b = 1 + n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const h = coef[b]! * this.columnScale[b]! * inv2;
        out.hessian[i * n + j] = h;
        out.hessian[j * n + i] = h;
        b++;
      }
    }
  }
}

/** g's + s'Hs / 2 for a quadratic about its centre. */
export function quadraticValue(q: QuadraticAtCentre, s: ArrayLike<number>): number {
  const n = q.gradient.length;
  let lin = 0;
  let quad = 0;
  for (let i = 0; i < n; i++) {
    const si = s[i]!;
    lin += q.gradient[i]! * si;
    let row = 0;
    for (let j = 0; j < n; j++) row += q.hessian[i * n + j]! * s[j]!;
    quad += si * row;
  }
  return lin + 0.5 * quad;
}
