import type { ModelMatrices } from '@glmm/core';
import { workingWeight, type GlmResponse } from '@glmm/engine';

/**
 * Exact gradient of the Laplace deviance for a model with one scalar
 * random-effects term (a random intercept, or one slope), for families
 * without a dispersion parameter.  Given theta and beta, the conditional
 * modes of different groups are independent, so the implicit-function
 * derivative du_j/d(theta, beta) is a scalar per group and the whole gradient
 * takes two passes over the rows after PIRLS:
 *
 *   f = sum_i a_i(eta_i) + sum_j [u_j^2 + log(1 + theta^2 sum_{i in j} z_i^2 w_i)],
 *   eta_i = x_i'beta + offset_i + theta z_i u_j,
 *
 * where a_i is -2 log p(y_i | mu_i) and w_i the PIRLS working weight.  The
 * first part is stationary in u at the mode (envelope theorem); the
 * log-determinant is not, so its derivative flows through du_j.
 * d a_i/d eta_i is exact; so are its eta-derivative and that of w_i when the
 * link has muEtaDerivative and the family varianceDerivative, and otherwise
 * they are central differences per row, so every link and family works.
 */
export class ScalarTermGradient {
  private readonly n: number;
  private readonly nl: number;
  private readonly s: Float64Array;
  private readonly h: Float64Array;
  private readonly w: Float64Array;
  private readonly wp: Float64Array;
  private readonly etaShift: Float64Array;
  private readonly muShift: Float64Array;
  private readonly meShift: Float64Array;
  private readonly vShift: Float64Array;
  private readonly sPlus: Float64Array;
  private readonly wPlus: Float64Array;
  private readonly groupA: Float64Array;
  private readonly groupH: Float64Array;
  private readonly groupWpz: Float64Array;
  private readonly groupSz: Float64Array;
  private readonly coef: Float64Array;
  /** sum_{i in j} h_i z_i x_ik, group-major (j * p + k). */
  private readonly groupHzx: Float64Array;
  /** du_j / d theta and du_j / d beta_k at the last gradient, for predicting the next mode. */
  private readonly duDtheta: Float64Array;
  private readonly duDbeta: Float64Array;
  private readonly at: Float64Array;
  private readonly uAt: Float64Array;
  private hasDerivatives = false;

  constructor(
    private readonly model: ModelMatrices,
    private readonly response: GlmResponse,
  ) {
    const n = model.n;
    this.n = n;
    this.nl = model.terms[0]!.levels.length;
    const f = () => new Float64Array(n);
    this.s = f();
    this.h = f();
    this.w = f();
    this.wp = f();
    this.etaShift = f();
    this.muShift = f();
    this.meShift = f();
    this.vShift = f();
    this.sPlus = f();
    this.wPlus = f();
    this.coef = f();
    const g = () => new Float64Array(this.nl);
    this.groupA = g();
    this.groupH = g();
    this.groupWpz = g();
    this.groupSz = g();
    this.groupHzx = new Float64Array(this.nl * model.p);
    this.duDtheta = g();
    this.duDbeta = new Float64Array(this.nl * model.p);
    this.at = new Float64Array(1 + model.p);
    this.uAt = g();
  }

  /**
   * First-order prediction of the modes at (theta, beta) from the last
   * gradient's point and du/d(theta, beta): u = u0 + du/dtheta dtheta + du/dbeta dbeta.
   * A PIRLS warm-started there needs about one Newton step fewer.
   */
  predictModes(theta: number, beta: Float64Array, u: Float64Array): void {
    if (!this.hasDerivatives) return;
    const p = this.model.p;
    const dTheta = theta - this.at[0]!;
    for (let j = 0; j < this.nl; j++) {
      let du = this.duDtheta[j]! * dTheta;
      for (let k = 0; k < p; k++) du += this.duDbeta[j * p + k]! * (beta[k]! - this.at[1 + k]!);
      u[j] = this.uAt[j]! + du;
    }
  }

  /** s = d a / d eta and w (the working weight) at the given eta, into sOut and wOut. */
  private derivatives(eta: Float64Array, sOut: Float64Array, wOut: Float64Array): void {
    const { link, family } = this.response;
    const { y, weights } = this.model;
    link.linkinv(eta, this.muShift);
    link.muEta(eta, this.meShift);
    family.variance(this.muShift, this.vShift);
    for (let i = 0; i < this.n; i++) {
      const me = this.meShift[i]!;
      const v = this.vShift[i]!;
      sOut[i] = (-2 * weights[i]! * (y[i]! - this.muShift[i]!) * me) / v;
      wOut[i] = workingWeight(weights[i]!, me, v);
    }
  }

  /**
   * Writes d f / d(theta, beta) into `out` (length 1 + p), for the mode held
   * in `eta` (the linear predictor at the mode) and `u`.
   */
  /** s, w, h = ds/deta and w' = dw/deta per row at the mode (exact, or central differences in eta). */
  private rowDerivatives(eta: Float64Array): void {
    const model = this.model;
    const n = this.n;
    const { s, h, w, wp } = this;
    const { link, family } = this.response;
    if (link.muEtaDerivative && family.varianceDerivative) {
      // Exact: mu, mu.eta and V at the mode are the response's (PIRLS ends there).
      const { y, weights } = model;
      const { mu, muEta, variance } = this.response;
      const d2 = link.muEtaDerivative(eta, this.muShift);
      const dv = family.varianceDerivative(mu, this.vShift);
      for (let i = 0; i < n; i++) {
        const me = muEta[i]!;
        const v = variance[i]!;
        const pw = weights[i]!;
        const res = y[i]! - mu[i]!;
        const dvdeta = dv[i]! * me;
        s[i] = (-2 * pw * res * me) / v;
        w[i] = workingWeight(pw, me, v);
        h[i] = -2 * pw * ((-me * me) / v + res * (d2[i]! / v - (me * dvdeta) / (v * v)));
        wp[i] = pw * ((2 * me * d2[i]!) / v - (me * me * dvdeta) / (v * v));
      }
    } else {
      this.derivatives(eta, s, w);
      // Central differences in eta for ds/deta and dw/deta.
      const eps = this.etaShift;
      const step = (e: number) => 1e-5 * Math.max(1, Math.abs(e));
      for (let i = 0; i < n; i++) eps[i] = eta[i]! + step(eta[i]!);
      this.derivatives(eps, this.sPlus, this.wPlus);
      for (let i = 0; i < n; i++) {
        h[i] = this.sPlus[i]!;
        wp[i] = this.wPlus[i]!;
        eps[i] = eta[i]! - step(eta[i]!);
      }
      this.derivatives(eps, this.sPlus, this.wPlus);
      for (let i = 0; i < n; i++) {
        const d = 2 * step(eta[i]!);
        h[i] = (h[i]! - this.sPlus[i]!) / d;
        wp[i] = (wp[i]! - this.wPlus[i]!) / d;
      }
    }
  }

  gradient(theta: number, beta: Float64Array, u: Float64Array, eta: Float64Array, out: Float64Array): void {
    const model = this.model;
    const n = this.n;
    const term = model.terms[0]!;
    const z = term.columns[0]!;
    const idx = term.index;
    const { s, h, w, wp } = this;
    this.rowDerivatives(eta);
    const A = this.groupA.fill(0);
    const H = this.groupH.fill(0);
    const Wpz = this.groupWpz.fill(0);
    const Sz = this.groupSz.fill(0);
    let dTheta = 0;
    const { X, p } = model;
    const Hzx = this.groupHzx.fill(0);
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      const zi = z[i]!;
      const z2 = zi * zi;
      A[j]! += z2 * w[i]!;
      H[j]! += z2 * h[i]!;
      Wpz[j]! += z2 * wp[i]! * zi;
      Sz[j]! += s[i]! * zi;
      dTheta += s[i]! * zi * u[j]!;
      const hz = h[i]! * zi;
      for (let k = 0; k < p; k++) Hzx[j * p + k]! += hz * X[k * n + i]!;
    }
    const th2 = theta * theta;
    // Per group: L^2, Hg = dg/du, Gu = dG/du, and the theta terms.
    for (let j = 0; j < this.nl; j++) {
      const L2 = 1 + th2 * A[j]!;
      const Hg = th2 * H[j]! + 2;
      const Gu = (th2 * theta * Wpz[j]!) / L2;
      const uj = u[j]!;
      const dGdTheta = (2 * theta * A[j]! + th2 * Wpz[j]! * uj) / L2;
      const duDtheta = -(theta * H[j]! * uj + Sz[j]!) / Hg;
      dTheta += dGdTheta + Gu * duDtheta;
      this.duDtheta[j] = duDtheta;
      for (let k = 0; k < p; k++) this.duDbeta[j * p + k] = -(theta * Hzx[j * p + k]!) / Hg;
      // Reuse the group arrays for the per-row coefficient: L^2 and Gu / Hg.
      A[j] = L2;
      H[j] = Gu / Hg;
    }
    const c = this.coef;
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      const zi = z[i]!;
      c[i] = s[i]! + (th2 * zi * zi * wp[i]!) / A[j]! - H[j]! * theta * zi * h[i]!;
    }
    out[0] = dTheta;
    this.at[0] = theta;
    this.at.set(beta.subarray(0, p), 1);
    this.uAt.set(u.subarray(0, this.nl));
    this.hasDerivatives = true;
    for (let a = 0; a < p; a++) {
      const xo = a * n;
      let g = 0;
      for (let i = 0; i < n; i++) g += X[xo + i]! * c[i]!;
      out[1 + a] = g;
    }
  }
}
