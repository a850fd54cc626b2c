import { isCanonicalPair, type Family, type Link } from '@glmm/core';
import type { BlockPattern } from '@glmm/linalg';
import type { RandomEffectsStructure } from '@glmm/engine';
import type { GlmResponse } from '@glmm/engine';
import type { Pirls } from './pirls.js';
import { DevianceDerivatives } from './deviance-derivatives.js';
import type { ParameterGradient } from './parameter-gradient.js';
import { rowPairBlocks } from './row-pair-blocks.js';

export interface ScalarTermsGradientOptions {
  /**
   * Also compute du/d(theta, beta) with each gradient (nTheta + p more solves
   * and one more pass over the rows), so `predictModes` can warm-start the next PIRLS.
   */
  readonly modeDerivatives?: boolean;
  /** A family parameter estimated alongside: its derivative goes after beta's in the gradient. */
  readonly parameter?: ParameterGradient;
}

/**
 * Exact gradient of the Laplace deviance
 *
 *   f(theta, beta) = sum_i d_i(eta_i) + |u|^2 + log det M,   M = Lambda Z'WZ Lambda + I,
 *   eta = X beta + offset + Z Lambda u,   u = u*(theta, beta) the conditional mode,
 *
 * for any number of scalar random-effects terms (crossed or nested
 * intercepts, single slopes: Lambda = diag(theta_t on term t's levels)),
 * families without a dispersion and the canonical link, where the observed
 * information of d_i equals the Fisher one (d''_i = 2 w_i) so that
 * F_uu = 2M and the factor PIRLS leaves behind serves the implicit derivative.
 *
 * With s_i = d'_i, w'_i = dw_i/deta_i, zt_i = row i of Z Lambda and
 * lev_i = zt_i M^{-1} zt_i':
 *  - d(sum d + |u|^2) is its partial derivative at u* (envelope theorem);
 *  - d log det M = tr(M^{-1} dM): the explicit Lambda part is
 *    2 sum_i w_i z_it (M^{-1} zt_i')_{j_t(i)}, the weight part
 *    sum_i w'_i lev_i deta_i, whose du part is q'du = -(1/2) r'F_uphi with
 *    q = Lambda Z'(w' lev) and r = M^{-1} q (one solve for all parameters).
 * Altogether, with rho = Z Lambda r and c_i = s_i + w'_i lev_i - w_i rho_i,
 *
 *   df/dbeta = X'c,
 *   df/dtheta_t = sum_i z_it [c_i u_{j_t(i)} + 2 w_i (M^{-1} zt_i')_{j_t(i)} - s_i r_{j_t(i)} / 2].
 *
 * Only M^{-1} entries at pairs of levels sharing a row are needed, all on the
 * pattern of L, so the selected inverse (one factorisation's work) suffices.
 * No theta is divided by, so a theta on its bound 0 needs no special case.
 */
export class ScalarTermsGradient {
  /**
   * Whether the gradient applies: every term scalar with Lambda_t = theta_t,
   * no dispersion parameter, the family's canonical link.  (With a family
   * parameter, the observed information makes F_uu = 2M under any link: see
   * selectKernel.)
   */
  static applies(re: RandomEffectsStructure, family: Family, link: Link): boolean {
    if (family.hasDispersion || !isCanonicalPair(family, link)) return false;
    return re.scalarThetaTerms();
  }

  private readonly n: number;
  private readonly p: number;
  private readonly T: number;
  private readonly q: number;
  private readonly nTheta: number;
  /** The pattern the row tables were built for (the PIRLS system's, fixed for its life). */
  private patternOf: BlockPattern | null = null;
  /** Node of each row in each term (term-major: t * n + i). */
  private readonly node: Int32Array;
  /** Diagonal offset in the factor layout of each row's node, per term (t * n + i). */
  private readonly diagAt: Int32Array;
  /** Offset of the block (node of t2, node of t1) of each row, per pair t1 < t2 (pair-major). */
  private readonly pairAt: Int32Array;
  private readonly s: Float64Array;
  private readonly wp: Float64Array;
  private readonly deviance: DevianceDerivatives;
  private readonly a: Float64Array;
  /** lev_i and rho_i of the last gradient, per row (the family parameter's derivative reads them). */
  private readonly lev: Float64Array;
  private readonly rho: Float64Array;
  private readonly parameter: ParameterGradient | null;
  private readonly coef: Float64Array;
  private readonly r: Float64Array;
  private readonly scratchT: Float64Array;
  private readonly cT: Float64Array;
  /** du/d(theta, beta) at the last gradient, node-major: du_j/dphi_c at j * (nTheta + p) + c. */
  private readonly du: Float64Array;
  private readonly step: Float64Array;
  private readonly at: Float64Array;
  private readonly uAt: Float64Array;
  private hasDerivatives = false;
  private readonly modeDerivatives: boolean;

  constructor(
    readonly re: RandomEffectsStructure,
    private readonly response: GlmResponse,
    options: ScalarTermsGradientOptions = {},
  ) {
    const model = re.model;
    const n = model.n;
    const T = re.nTerms;
    this.n = n;
    this.p = model.p;
    this.T = T;
    this.q = re.q;
    this.nTheta = re.nTheta;
    this.node = new Int32Array(T * n);
    for (let t = 0; t < T; t++) {
      const idx = re.terms[t]!.index;
      const base = re.nodeBase[t]!;
      for (let i = 0; i < n; i++) this.node[t * n + i] = base + idx[i]!;
    }
    this.diagAt = new Int32Array(T * n);
    this.pairAt = new Int32Array(((T * (T - 1)) / 2) * n);
    const f = () => new Float64Array(n);
    this.deviance = new DevianceDerivatives(model, response);
    this.s = this.deviance.s;
    this.wp = this.deviance.wp;
    this.a = f();
    this.parameter = options.parameter ?? null;
    this.lev = new Float64Array(this.parameter ? n : 0);
    this.rho = new Float64Array(this.parameter ? n : 0);
    this.coef = f();
    this.r = new Float64Array(re.q);
    this.scratchT = new Float64Array(T);
    this.cT = new Float64Array(T);
    this.modeDerivatives = options.modeDerivatives ?? false;
    const nPar = re.nTheta + model.p;
    this.du = new Float64Array(this.modeDerivatives ? nPar * re.q : 0);
    this.at = new Float64Array(nPar);
    this.step = new Float64Array(nPar);
    this.uAt = new Float64Array(re.q);
  }

  /** The row tables for the PIRLS system's pattern, built on first use. */
  private bind(pirls: Pirls): void {
    const pattern = pirls.system.pattern;
    if (this.patternOf === pattern) return;
    if (pirls.system.xNode >= 0 || !pattern.sizes.every((size) => size === 1))
      throw new Error('ScalarTermsGradient needs the fixed-beta PIRLS system of scalar terms (scalar nodes, no fixed-effects node)');
    const { n, T, re } = this;
    for (let t = 0; t < T; t++)
      for (let i = 0; i < n; i++) this.diagAt[t * n + i] = pattern.diagOffset[this.node[t * n + i]!]!;
    rowPairBlocks(re, pattern, this.node, this.pairAt);
    this.patternOf = pattern;
  }

  /**
   * First-order prediction of the modes at (theta, beta) from the last
   * gradient's point: u = u0 + du/dtheta dtheta + du/dbeta dbeta (needs the
   * `modeDerivatives` option; otherwise leaves u alone).
   */
  predictModes(theta: Float64Array, beta: Float64Array, u: Float64Array): void {
    if (!this.hasDerivatives) return;
    const { q, nTheta, p } = this;
    const m = nTheta + p;
    const step = this.step;
    for (let c = 0; c < m; c++) step[c] = (c < nTheta ? theta[c]! : beta[c - nTheta]!) - this.at[c]!;
    const D = this.du;
    for (let j = 0; j < q; j++) {
      let v = this.uAt[j]!;
      const o = j * m;
      for (let c = 0; c < m; c++) v += D[o + c]! * step[c]!;
      u[j] = v;
    }
  }

  /**
   * Writes d f / d(theta_1..theta_nTheta, beta_1..beta_p[, log parameter]) into `out` for the
   * mode PIRLS just found at (theta, beta): `pirls.u`, `pirls.eta`, the
   * response's mu and weights, and `pirls.system.chol` factored with the weights there.
   */
  gradient(theta: Float64Array, beta: Float64Array, pirls: Pirls, out: Float64Array): void {
    this.bind(pirls);
    const { n, p, T, nTheta, coef, r } = this;
    const { X } = this.re.model;
    const chol = pirls.system.chol;
    const Zi = chol.selectedInverseValues();
    this.deviance.compute(pirls.eta);
    const lambdas = this.re.lambdas(theta);
    const th = this.scratchT;
    for (let t = 0; t < T; t++) th[t] = lambdas[t]![0]!;
    const cols = this.re.terms.map((term) => term.columns[0]!);
    const gT = out.subarray(0, nTheta).fill(0);
    r.fill(0);
    // Pass 1: per row, c_t = (M^{-1} zt_i')_{j_t(i)}, lev_i = zt_i c; the
    // explicit theta part; q = Lambda Z'(w' lev) into r.
    if (T === 1) this.firstPassOneTerm(Zi, th, cols, gT);
    else if (T === 2) this.firstPassTwoTerms(Zi, th, cols, gT);
    else this.firstPassAnyTerms(Zi, th, cols, gT);
    solveScalarPattern(pirls.system.pattern, chol.values, r, 1);
    // Pass 2: rho = Z Lambda r, the per-row coefficient c_i, and the theta sums.
    if (T === 2) this.secondPassTwoTerms(pirls.u, th, cols, gT);
    else this.secondPassAnyTerms(pirls.u, th, cols, gT);
    for (let k = 0; k < p; k++) {
      const xo = k * n;
      let g = 0;
      for (let i = 0; i < n; i++) g += X[xo + i]! * coef[i]!;
      out[nTheta + k] = g;
    }
    if (this.parameter) out[nTheta + p] = this.parameter.gradient(pirls.eta, this.lev, this.rho);
    if (this.modeDerivatives) this.computeModeDerivatives(theta, beta, pirls, th, cols);
  }

  /*
   * The passes over the rows, one method per case: one and two terms are
   * unrolled (the common crossed and nested designs), any number looped.
   */

  private firstPassOneTerm(Zi: Float64Array, th: Float64Array, cols: readonly Float64Array[], gT: Float64Array): void {
    const { n, a, r, node, diagAt, wp } = this;
    const levs = this.lev;
    const keep = this.parameter !== null;
    const w = this.response.weights;
    const z = cols[0]!;
    const t0 = th[0]!;
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      const ci = t0 * zi * Zi[diagAt[i]!]!;
      gT[0]! += 2 * w[i]! * zi * ci;
      const lev = t0 * zi * ci;
      if (keep) levs[i] = lev;
      const ai = wp[i]! * lev;
      a[i] = ai;
      r[node[i]!]! += t0 * zi * ai;
    }
  }

  private firstPassTwoTerms(Zi: Float64Array, th: Float64Array, cols: readonly Float64Array[], gT: Float64Array): void {
    const { n, a, r, node, diagAt, pairAt, wp } = this;
    const levs = this.lev;
    const keep = this.parameter !== null;
    const w = this.response.weights;
    const z0 = cols[0]!;
    const z1 = cols[1]!;
    const t0 = th[0]!;
    const t1 = th[1]!;
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < n; i++) {
      const a0 = t0 * z0[i]!;
      const a1 = t1 * z1[i]!;
      const off = Zi[pairAt[i]!]!;
      const c0 = a0 * Zi[diagAt[i]!]! + a1 * off;
      const c1 = a1 * Zi[diagAt[n + i]!]! + a0 * off;
      const wi = w[i]!;
      g0 += wi * z0[i]! * c0;
      g1 += wi * z1[i]! * c1;
      const lev = a0 * c0 + a1 * c1;
      if (keep) levs[i] = lev;
      const ai = wp[i]! * lev;
      a[i] = ai;
      r[node[i]!]! += a0 * ai;
      r[node[n + i]!]! += a1 * ai;
    }
    gT[0] = 2 * g0;
    gT[1] = 2 * g1;
  }

  private firstPassAnyTerms(Zi: Float64Array, th: Float64Array, cols: readonly Float64Array[], gT: Float64Array): void {
    const { n, T, a, r, node, diagAt, pairAt, wp } = this;
    const levs = this.lev;
    const keep = this.parameter !== null;
    const w = this.response.weights;
    const c = this.cT;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) c[t] = th[t]! * cols[t]![i]! * Zi[diagAt[t * n + i]!]!;
      let pair = 0;
      for (let t1 = 0; t1 < T; t1++)
        for (let t2 = t1 + 1; t2 < T; t2++, pair++) {
          const off = Zi[pairAt[pair * n + i]!]!;
          c[t1]! += th[t2]! * cols[t2]![i]! * off;
          c[t2]! += th[t1]! * cols[t1]![i]! * off;
        }
      let lev = 0;
      const wi = w[i]!;
      for (let t = 0; t < T; t++) {
        const zt = cols[t]![i]!;
        lev += th[t]! * zt * c[t]!;
        gT[t]! += 2 * wi * zt * c[t]!;
      }
      if (keep) levs[i] = lev;
      const ai = wp[i]! * lev;
      a[i] = ai;
      for (let t = 0; t < T; t++) r[node[t * n + i]!]! += th[t]! * cols[t]![i]! * ai;
    }
  }

  private secondPassTwoTerms(u: Float64Array, th: Float64Array, cols: readonly Float64Array[], gT: Float64Array): void {
    const { n, a, r, s, node, coef } = this;
    const rhos = this.rho;
    const keep = this.parameter !== null;
    const w = this.response.weights;
    const z0 = cols[0]!;
    const z1 = cols[1]!;
    const t0 = th[0]!;
    const t1 = th[1]!;
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < n; i++) {
      const j0 = node[i]!;
      const j1 = node[n + i]!;
      const r0 = r[j0]!;
      const r1 = r[j1]!;
      const si = s[i]!;
      const rho = t0 * z0[i]! * r0 + t1 * z1[i]! * r1;
      if (keep) rhos[i] = rho;
      const ci = si + a[i]! - w[i]! * rho;
      coef[i] = ci;
      g0 += z0[i]! * (ci * u[j0]! - 0.5 * si * r0);
      g1 += z1[i]! * (ci * u[j1]! - 0.5 * si * r1);
    }
    gT[0]! += g0;
    gT[1]! += g1;
  }

  private secondPassAnyTerms(u: Float64Array, th: Float64Array, cols: readonly Float64Array[], gT: Float64Array): void {
    const { n, T, a, r, s, node, coef } = this;
    const rhos = this.rho;
    const keep = this.parameter !== null;
    const w = this.response.weights;
    for (let i = 0; i < n; i++) {
      let rho = 0;
      for (let t = 0; t < T; t++) rho += th[t]! * cols[t]![i]! * r[node[t * n + i]!]!;
      if (keep) rhos[i] = rho;
      const si = s[i]!;
      const ci = si + a[i]! - w[i]! * rho;
      coef[i] = ci;
      for (let t = 0; t < T; t++) {
        const j = node[t * n + i]!;
        gT[t]! += cols[t]![i]! * (ci * u[j]! - 0.5 * si * r[j]!);
      }
    }
  }

  /**
   * du/dphi = -(2M)^{-1} F_uphi with F_ubeta_k = 2 Lambda Z'(w x_k) and
   * F_utheta_t = E_t Z's + 2 Lambda Z'(w z_t u_t): the right-hand sides in
   * one pass over the rows, then one sweep of the factor for all of them
   * (stored node-major, so each entry of L is loaded once per sweep).
   */
  private computeModeDerivatives(
    theta: Float64Array,
    beta: Float64Array,
    pirls: Pirls,
    th: Float64Array,
    cols: readonly Float64Array[],
  ): void {
    const { n, p, T, nTheta, node, s } = this;
    const X = this.re.model.X;
    const w = this.response.weights;
    const u = pirls.u;
    const m = nTheta + p;
    const D = this.du.fill(0);
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      const si = s[i]!;
      for (let t = 0; t < T; t++) {
        const o = node[t * n + i]! * m;
        const zt = cols[t]![i]!;
        const awi = th[t]! * zt * wi;
        D[o + t]! += 0.5 * zt * si;
        for (let t2 = 0; t2 < T; t2++) D[o + t2]! += awi * cols[t2]![i]! * u[node[t2 * n + i]!]!;
        for (let k = 0; k < p; k++) D[o + nTheta + k]! += awi * X[k * n + i]!;
      }
    }
    solveScalarPattern(pirls.system.pattern, pirls.system.chol.values, D, m);
    for (let e = 0; e < D.length; e++) D[e] = -D[e]!;
    this.at.set(theta.subarray(0, nTheta));
    this.at.set(beta.subarray(0, p), nTheta);
    this.uAt.set(u);
    this.hasDerivatives = true;
  }
}

/**
 * Solves L L' X = B in place for `m` right-hand sides stored node-major
 * (x[j * m + c]) when every node is scalar: column j of L is L[d_j] and
 * then its off-diagonal entries at d_j + 1, ... in row order.  Cheaper than
 * BlockCholesky's general solves (no per-node kernel calls), and all
 * right-hand sides share each load of L.
 */
export function solveScalarPattern(pattern: BlockPattern, L: Float64Array, x: Float64Array, m: number): void {
  const { nNodes, colPtr, rowIdx, diagOffset } = pattern;
  if (m === 1) {
    for (let j = 0; j < nNodes; j++) {
      const lo = diagOffset[j]! + 1;
      const xj = (x[j]! /= L[lo - 1]!);
      if (xj === 0) continue;
      for (let b = colPtr[j]!, t = lo; b < colPtr[j + 1]!; b++, t++) x[rowIdx[b]!]! -= L[t]! * xj;
    }
    for (let j = nNodes - 1; j >= 0; j--) {
      const lo = diagOffset[j]! + 1;
      let v = x[j]!;
      for (let b = colPtr[j]!, t = lo; b < colPtr[j + 1]!; b++, t++) v -= L[t]! * x[rowIdx[b]!]!;
      x[j] = v / L[lo - 1]!;
    }
    return;
  }
  for (let j = 0; j < nNodes; j++) {
    const lo = diagOffset[j]! + 1;
    const inv = 1 / L[lo - 1]!;
    const xo = j * m;
    for (let c = 0; c < m; c++) x[xo + c]! *= inv;
    for (let b = colPtr[j]!, t = lo; b < colPtr[j + 1]!; b++, t++) {
      const l = L[t]!;
      const io = rowIdx[b]! * m;
      for (let c = 0; c < m; c++) x[io + c]! -= l * x[xo + c]!;
    }
  }
  for (let j = nNodes - 1; j >= 0; j--) {
    const lo = diagOffset[j]! + 1;
    const inv = 1 / L[lo - 1]!;
    const xo = j * m;
    for (let b = colPtr[j]!, t = lo; b < colPtr[j + 1]!; b++, t++) {
      const l = L[t]!;
      const io = rowIdx[b]! * m;
      for (let c = 0; c < m; c++) x[xo + c]! -= l * x[io + c]!;
    }
    for (let c = 0; c < m; c++) x[xo + c]! *= inv;
  }
}
