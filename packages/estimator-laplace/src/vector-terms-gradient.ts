import { isCanonicalPair, type Family, type Link } from '@glmm/core';
import type { BlockPattern } from '@glmm/linalg';
import type { RandomEffectsStructure } from '@glmm/engine';
import { DevianceDerivatives } from './deviance-derivatives.js';
import { rowPairBlocks } from './row-pair-blocks.js';
import type { GlmResponse } from '@glmm/engine';
import type { ParameterGradient } from './parameter-gradient.js';
import type { Pirls } from './pirls.js';

/**
 * Exact gradient of the Laplace deviance (ScalarTermsGradient's quantity)
 * for terms with several columns: random slopes, correlated or not, with
 * any covariance linear in its theta, crossed or nested, for families
 * without a dispersion and the canonical link.  With D_m = d Lambda /
 * d theta_m (d Lambda_t / d theta_m on each level of its term), row i's
 * values z_t of term t's columns, its node j_t, v_t = Lambda_t' z_t (the
 * row of Z Lambda) and c_t = (M^{-1} Z Lambda_i')_{j_t} (blocks of the
 * selected inverse between the nodes the row meets):
 *
 *   lev_i = sum_t v_t' c_t,  a_i = w'_i lev_i,  r = M^{-1} Lambda'Z'a,
 *   rho_i = sum_t v_t' r_{j_t},  c_i = s_i + a_i - w_i rho_i,
 *   df/dbeta = X'c,
 *   df/dtheta_m = sum_i [c_i z_t D_m u_{j_t} + 2 w_i z_t D_m c_t - s_i z_t D_m r_{j_t} / 2],
 *
 * t the term of theta_m: the envelope theorem for the penalised deviance,
 * tr(M^{-1} dM) for the log-determinant, and the modes' implicit
 * derivative (F_uu = 2M at the canonical link) folded into r.
 */
export class VectorTermsGradient {
  /** Whether the gradient applies: no dispersion, the canonical link, covariances linear in theta (dLambda non-null). */
  static applies(family: Family, link: Link, dLambda: readonly Float64Array[] | null): boolean {
    return !family.hasDispersion && isCanonicalPair(family, link) && dLambda !== null;
  }

  private readonly n: number;
  private readonly T: number;
  private readonly kOffset: Int32Array;
  /** Node of each row in each term (term-major: t * n + i). */
  private readonly node: Int32Array;
  /** Block offset of (node of t2, node of t1) for each row, per pair t1 < t2 (pair-major). */
  private readonly pairAt: Int32Array;
  private readonly thetaTerm: Int32Array;
  private readonly deviance: DevianceDerivatives;
  private patternOf: BlockPattern | null = null;
  private readonly v: Float64Array;
  private readonly c: Float64Array;
  private readonly a: Float64Array;
  private readonly coef: Float64Array;
  private readonly r: Float64Array;
  /** lev_i and rho_i of the last gradient, per row, where a family parameter's derivative reads them. */
  private readonly lev: Float64Array;
  private readonly rho: Float64Array;

  constructor(
    readonly re: RandomEffectsStructure,
    private readonly response: GlmResponse,
    private readonly dLambda: readonly Float64Array[],
    /** A family parameter estimated alongside: its derivative goes after beta's in the gradient. */
    private readonly parameter: ParameterGradient | null = null,
  ) {
    const n = re.model.n;
    const T = re.nTerms;
    this.n = n;
    this.T = T;
    this.kOffset = new Int32Array(T + 1);
    for (let t = 0; t < T; t++) this.kOffset[t + 1] = this.kOffset[t]! + re.k[t]!;
    this.node = new Int32Array(T * n);
    for (let t = 0; t < T; t++) {
      const idx = re.terms[t]!.index;
      for (let i = 0; i < n; i++) this.node[t * n + i] = re.nodeBase[t]! + idx[i]!;
    }
    this.pairAt = new Int32Array(((T * (T - 1)) / 2) * n);
    this.thetaTerm = new Int32Array(re.nTheta);
    for (let t = 0; t < T; t++) this.thetaTerm.fill(t, re.thetaOffset[t]!, re.thetaOffset[t + 1]!);
    this.deviance = new DevianceDerivatives(re.model, response);
    this.v = new Float64Array(this.kOffset[T]!);
    this.c = new Float64Array(this.kOffset[T]!);
    this.a = new Float64Array(n);
    this.coef = new Float64Array(n);
    this.r = new Float64Array(re.q);
    this.lev = new Float64Array(parameter ? n : 0);
    this.rho = new Float64Array(parameter ? n : 0);
  }

  /** Mode prediction is not offered here (PIRLS starts from the last modes): leaves u alone. */
  predictModes(_theta: Float64Array, _beta: Float64Array, _u: Float64Array): void {}

  /** The row tables for the PIRLS system's pattern, built on first use. */
  private bind(pirls: Pirls): void {
    const pattern = pirls.system.pattern;
    if (this.patternOf === pattern) return;
    if (pirls.system.xNode >= 0) throw new Error('VectorTermsGradient needs the fixed-beta PIRLS system (no fixed-effects node)');
    const { re } = this;
    rowPairBlocks(re, pattern, this.node, this.pairAt);
    this.patternOf = pattern;
  }

  /**
   * Writes d f / d(theta, beta[, log parameter]) into `out` for the mode PIRLS
   * just found at (theta, beta), with `pirls.system.chol` factored at the weights there.
   */
  gradient(theta: Float64Array, beta: Float64Array, pirls: Pirls, out: Float64Array): void {
    void beta;
    this.bind(pirls);
    const { n, re, coef, r } = this;
    const nTheta = re.nTheta;
    const p = re.model.p;
    const X = re.model.X;
    const chol = pirls.system.chol;
    this.deviance.compute(pirls.eta);
    const lambdas = re.lambdas(theta);
    const gT = out.subarray(0, nTheta).fill(0);
    r.fill(0);
    // Pass 1: v_t, c_t, lev_i and the explicit theta part; q = Lambda'Z'a into r.
    const Z = chol.selectedInverseValues();
    for (let i = 0; i < n; i++) this.firstPassRow(i, lambdas, Z, pirls.system.pattern.diagOffset, gT);
    chol.solveL(r);
    chol.solveLt(r);
    // Pass 2: rho_i, c_i, and the mode and implicit parts of the theta sums.
    for (let i = 0; i < n; i++) this.secondPassRow(i, lambdas, pirls.u, gT);
    for (let k = 0; k < p; k++) {
      const xo = k * n;
      let g = 0;
      for (let i = 0; i < n; i++) g += X[xo + i]! * coef[i]!;
      out[nTheta + k] = g;
    }
    if (this.parameter) out[nTheta + p] = this.parameter.gradient(pirls.eta, this.lev, this.rho);
  }

  /** Row i of pass 1: c = (M^{-1} Z Lambda_i')_{j_t} from the selected inverse Z, lev_i, a_i, the explicit theta part, r += Lambda'z a_i. */
  private firstPassRow(i: number, lambdas: readonly Float64Array[], Z: Float64Array, diagOffset: Int32Array, gT: Float64Array): void {
    const { n, T, re, node, pairAt, kOffset, v, c, a, r } = this;
    const nTheta = re.nTheta;
    this.rowVectors(i, lambdas);
    c.fill(0);
    for (let t = 0; t < T; t++) {
      const k = re.k[t]!;
      const d = diagOffset[node[t * n + i]!]!;
      const o = kOffset[t]!;
      for (let a1 = 0; a1 < k; a1++) {
        let sum = 0;
        for (let b1 = 0; b1 < k; b1++) sum += Z[d + b1 * k + a1]! * v[o + b1]!;
        c[o + a1]! += sum;
      }
    }
    let pair = 0;
    for (let t1 = 0; t1 < T; t1++)
      for (let t2 = t1 + 1; t2 < T; t2++, pair++) {
        // Block (node of t2, node of t1): k2 x k1, column-major.
        const off = pairAt[pair * n + i]!;
        const k1 = re.k[t1]!;
        const k2 = re.k[t2]!;
        const o1 = kOffset[t1]!;
        const o2 = kOffset[t2]!;
        for (let b1 = 0; b1 < k1; b1++)
          for (let a2 = 0; a2 < k2; a2++) {
            const z = Z[off + b1 * k2 + a2]!;
            c[o2 + a2]! += z * v[o1 + b1]!;
            c[o1 + b1]! += z * v[o2 + a2]!;
          }
      }
    let lev = 0;
    for (let e = 0; e < v.length; e++) lev += v[e]! * c[e]!;
    if (this.parameter) this.lev[i] = lev;
    const ai = this.deviance.wp[i]! * lev;
    a[i] = ai;
    const wi = this.response.weights[i]!;
    for (let m = 0; m < nTheta; m++) gT[m]! += 2 * wi * this.zDx(m, i, c, kOffset[this.thetaTerm[m]!]!);
    for (let t = 0; t < T; t++) {
      const k = re.k[t]!;
      const at = re.coefBase[t]! + (node[t * n + i]! - re.nodeBase[t]!) * k;
      for (let e = 0; e < k; e++) r[at + e]! += v[kOffset[t]! + e]! * ai;
    }
  }

  /** Row i of pass 2: rho_i, c_i, and its mode and implicit parts of the theta sums. */
  private secondPassRow(i: number, lambdas: readonly Float64Array[], u: Float64Array, gT: Float64Array): void {
    const { n, T, re, node, kOffset, v, a, coef, r } = this;
    this.rowVectors(i, lambdas);
    let rho = 0;
    for (let t = 0; t < T; t++) {
      const k = re.k[t]!;
      const at = re.coefBase[t]! + (node[t * n + i]! - re.nodeBase[t]!) * k;
      for (let e = 0; e < k; e++) rho += v[kOffset[t]! + e]! * r[at + e]!;
    }
    if (this.parameter) this.rho[i] = rho;
    const si = this.deviance.s[i]!;
    const ci = si + a[i]! - this.response.weights[i]! * rho;
    coef[i] = ci;
    for (let m = 0; m < re.nTheta; m++) {
      const t = this.thetaTerm[m]!;
      const at = re.coefBase[t]! + (node[t * n + i]! - re.nodeBase[t]!) * re.k[t]!;
      gT[m]! += ci * this.zDx(m, i, u, at) - 0.5 * si * this.zDx(m, i, r, at);
    }
  }

  /** v_t = Lambda_t' z_t for row i, every term, into v. */
  private rowVectors(i: number, lambdas: readonly Float64Array[]): void {
    const { re, v, kOffset } = this;
    for (let t = 0; t < this.T; t++) {
      const k = re.k[t]!;
      const L = lambdas[t]!;
      const cols = re.terms[t]!.columns;
      const o = kOffset[t]!;
      for (let b = 0; b < k; b++) {
        // (Lambda' z)_b = sum_a L[a, b] z_a, L lower: a >= b.
        let sum = 0;
        for (let a1 = b; a1 < k; a1++) sum += L[b * k + a1]! * cols[a1]![i]!;
        v[o + b] = sum;
      }
    }
  }

  /** z_t D_m x for row i: z_t (term of theta_m) times dLambda_m times the k-vector x at xo. */
  private zDx(m: number, i: number, x: Float64Array, xo: number): number {
    const t = this.thetaTerm[m]!;
    const k = this.re.k[t]!;
    const E = this.dLambda[m]!;
    const cols = this.re.terms[t]!.columns;
    let sum = 0;
    for (let a1 = 0; a1 < k; a1++) {
      const za = cols[a1]![i]!;
      if (za === 0) continue;
      let row = 0;
      for (let b = 0; b < k; b++) row += E[b * k + a1]! * x[xo + b]!;
      sum += za * row;
    }
    return sum;
  }
}
