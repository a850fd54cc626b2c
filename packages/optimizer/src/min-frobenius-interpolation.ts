import { DenseLu } from './dense-lu.js';
import type { InterpolationModel } from './interpolation-model.js';
import { InterpolationPoints } from './interpolation-points.js';
import type { QuadraticAtCentre } from './quadratic-interpolation.js';

/**
 * The quadratic model of Powell's NEWUOA/BOBYQA on 2n+1 points: among all
 * quadratics interpolating f on the points, the one whose Hessian differs
 * least (in Frobenius norm) from the previous model's. The Hessian thus
 * accumulates curvature over the whole run, as a quasi-Newton matrix does,
 * while only 2n+1 points have to be kept near the best one.
 *
 * The correction interpolating the residuals r_k = f_k - q_old(y_k) has
 * Hessian sum_k lambda_k u_k u_k' (u_k = (y_k - c) / scale), and (lambda, a, b)
 * solve the KKT system
 *   [ A  E' ] [lambda]   [r]      A_kj = (u_k'u_j)^2 / 2,
 *   [ E  0  ] [ a, b ] = [0],     E = [1 ... 1; u_1 ... u_m].
 * The system (size 3n + 2) is refactorised after every change; its inverse
 * gives Powell's exchange denominators sigma = alpha beta + tau^2 directly.
 */
export class MinFrobeniusInterpolation extends InterpolationPoints implements InterpolationModel {
  /** The Hessian carries over between fits, so distant points do less harm: Powell's threshold. */
  readonly staleDistance = 10;

  private readonly size: number;
  private readonly lu: DenseLu;
  private readonly kkt: Float64Array;
  /** W^{-1}, row-major, for the exchange denominators. */
  private readonly inverse: Float64Array;
  private readonly centre: Float64Array;
  private scale = 1;
  /** The previous model, as value, gradient and Hessian at its own centre. */
  private readonly oldCentre: Float64Array;
  private oldValue = 0;
  private hasOld = false;
  private readonly rhs: Float64Array;
  private readonly w: Float64Array;
  private readonly hw: Float64Array;

  constructor(n: number) {
    super(n, 2 * n + 1);
    this.size = this.m + n + 1;
    this.lu = new DenseLu(this.size);
    this.kkt = new Float64Array(this.size * this.size);
    this.inverse = new Float64Array(this.size * this.size);
    this.centre = new Float64Array(n);
    this.oldCentre = new Float64Array(n);
    this.rhs = new Float64Array(this.size);
    this.w = new Float64Array(this.size);
    this.hw = new Float64Array(this.size);
  }

  /** Forgets the accumulated Hessian, e.g. when the set is rebuilt from scratch. */
  resetCurvature(): void {
    this.hasOld = false;
  }

  refit(): boolean {
    const { n, m } = this;
    let maxDist = 0;
    for (let k = 0; k < m; k++) maxDist = Math.max(maxDist, this.distanceFromBest(k));
    if (!(maxDist > 0)) return false;
    const g = this.model.gradient;
    const H = this.model.hessian;
    // Move the previous model to the new centre before it is overwritten.
    const newCentre = this.point(this.best);
    if (this.hasOld) {
      const shift = new Float64Array(n);
      for (let j = 0; j < n; j++) shift[j] = newCentre[j]! - this.oldCentre[j]!;
      this.oldValue += quadratic(g, H, shift);
      for (let i = 0; i < n; i++) {
        let row = 0;
        for (let j = 0; j < n; j++) row += H[i * n + j]! * shift[j]!;
        g[i]! += row;
      }
    } else {
      g.fill(0);
      H.fill(0);
      this.oldValue = this.values[this.best]!;
    }
    this.centre.set(newCentre);
    this.oldCentre.set(newCentre);
    this.scale = maxDist;
    if (!this.factorize()) return false;

    // Residuals of the previous model, which the minimum-norm correction interpolates.
    const r = this.rhs;
    const s = new Float64Array(n);
    for (let k = 0; k < m; k++) {
      const y = this.point(k);
      for (let j = 0; j < n; j++) s[j] = y[j]! - newCentre[j]!;
      r[k] = this.values[k]! - (this.oldValue + quadratic(g, H, s));
    }
    r.fill(0, m);
    this.lu.solve(r, r);
    this.addCorrection(r, this.model);
    for (let j = 0; j < n * n; j++) if (!Number.isFinite(H[j]!)) return false;
    this.hasOld = true;
    // The model is kept exact at the centre: q(c) = f(c).
    this.oldValue = this.values[this.best]!;
    return true;
  }

  predictedChange(s: ArrayLike<number>): number {
    return quadratic(this.model.gradient, this.model.hessian, s);
  }

  replacementWeights(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.m)): Float64Array {
    const { n, m, size } = this;
    const w = this.w;
    const inv = 1 / this.scale;
    const u = new Float64Array(n);
    let uu = 0;
    for (let j = 0; j < n; j++) {
      u[j] = (x[j]! - this.centre[j]!) * inv;
      uu += u[j]! * u[j]!;
    }
    for (let k = 0; k < m; k++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += this.unit(k, j) * u[j]!;
      w[k] = 0.5 * dot * dot;
    }
    w[m] = 1;
    for (let j = 0; j < n; j++) w[m + 1 + j] = u[j]!;
    const Hw = this.hw;
    const Winv = this.inverse;
    let wHw = 0;
    for (let i = 0; i < size; i++) {
      let sum = 0;
      for (let j = 0; j < size; j++) sum += Winv[i * size + j]! * w[j]!;
      Hw[i] = sum;
      wHw += w[i]! * sum;
    }
    const beta = 0.5 * uu * uu - wHw;
    for (let k = 0; k < m; k++) {
      const alpha = Winv[k * size + k]!;
      const tau = Hw[k]!;
      out[k] = Math.abs(alpha * beta + tau * tau);
    }
    return out;
  }

  lagrangeFunction(k: number): QuadraticAtCentre {
    const e = new Float64Array(this.size);
    e[k] = 1;
    this.lu.solve(e, e);
    const out = { gradient: new Float64Array(this.n), hessian: new Float64Array(this.n * this.n) };
    this.addCorrection(e, out);
    return out;
  }

  /** Scaled displacement u_k,j of point k from the centre. */
  private unit(k: number, j: number): number {
    return (this.points[k * this.n + j]! - this.centre[j]!) / this.scale;
  }

  private factorize(): boolean {
    const { n, m, size } = this;
    const W = this.kkt;
    W.fill(0);
    for (let k = 0; k < m; k++) {
      for (let l = 0; l <= k; l++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += this.unit(k, j) * this.unit(l, j);
        const a = 0.5 * dot * dot;
        W[k * size + l] = a;
        W[l * size + k] = a;
      }
      W[k * size + m] = 1;
      W[m * size + k] = 1;
      for (let j = 0; j < n; j++) {
        const u = this.unit(k, j);
        W[k * size + m + 1 + j] = u;
        W[(m + 1 + j) * size + k] = u;
      }
    }
    if (!this.lu.factorize(W, 1e-13)) return false;
    const col = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      col.fill(0);
      col[j] = 1;
      this.lu.solve(col, col);
      for (let i = 0; i < size; i++) this.inverse[i * size + j] = col[i]!;
    }
    return true;
  }

  /** Adds the quadratic with multipliers sol = (lambda, a, b) (scaled coordinates) to q. */
  private addCorrection(sol: Float64Array, q: QuadraticAtCentre): void {
    const { n, m } = this;
    const inv = 1 / this.scale;
    for (let j = 0; j < n; j++) q.gradient[j]! += sol[m + 1 + j]! * inv;
    const inv2 = inv * inv;
    for (let k = 0; k < m; k++) {
      const lam = sol[k]! * inv2;
      if (lam === 0) continue;
      for (let i = 0; i < n; i++) {
        const ui = this.unit(k, i) * lam;
        for (let j = 0; j < n; j++) q.hessian[i * n + j]! += ui * this.unit(k, j);
      }
    }
  }
}

/** g's + s'Hs / 2. */
function quadratic(g: Float64Array, H: Float64Array, s: ArrayLike<number>): number {
  const n = g.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += H[i * n + j]! * s[j]!;
    sum += s[i]! * (g[i]! + 0.5 * row);
  }
  return sum;
}
