import type { SelectedInverseParts } from '@glmm/linalg';
import type { LmmObjective } from './lmm-objective.js';
import { ThetaKeyed } from './theta-keyed.js';

/**
 * The exact gradient of the profiled deviance of a linear mixed model and
 * an average-information approximation to its Hessian, for any terms whose
 * Lambda_t is linear in their theta (unstructured and diagonal covariances:
 * random slopes, correlated or not).  LmmDerivatives is the special case of
 * scalar terms, where the traces below reduce to the inverse's diagonal.
 *
 * With C = L L' the system in (u, beta), G = [Z X]'W[Z X] the unscaled
 * cross-products, Lambda~ = diag(Lambda, I), D_m = d Lambda / d theta_m
 * (block diagonal, d Lambda_t / d theta_m on each level of its term), e the
 * conditional residual, w = Z'We (from the cross-products: Z'W(y - offset)
 * - G (Lambda u, beta)), and nu = N / pwrss:
 *
 *  - d log det C / d theta_m = 2 tr(C^{-1} Lambda~' G D_m), a sum over the
 *    levels j of tr(S_j dLambda_t), S_j = sum_i Z_ji Lambda_i' G_ij over the
 *    blocks of the pattern, with Z = C^{-1} on the pattern (the selected
 *    inverse); for ML, log det A and A^{-1} on the random-effects nodes;
 *  - d pwrss / d theta_m = -2 w' D_m u.
 *
 * Hessian: with the working variates h_m = D_m u + Lambda D_m' w (on the
 * term's levels), P's average information and the profiling of sigma^2 give
 *
 *   H_mn = nu (h_m' (G h_n)_Z - y_m' y_n) - nu^2 (h_m'w)(h_n'w) / N,
 *   y_m = L^{-1} Lambda~' G h_m,
 *
 * one product with G and one forward solve per parameter.
 */
export class LmmGeneralDerivatives {
  /** D_m's k x k block (column-major) for every theta, in theta's order. */
  private readonly dLambda: readonly Float64Array[];
  /** Term of every theta. */
  private readonly thetaTerm: Int32Array;
  /** Term of every random-effects node. */
  private readonly nodeTerm: Int32Array;
  /** diag blocks of (L_Z L_Z')^{-1} at the last evaluation (ML). */
  private readonly inverse = new ThetaKeyed<Float64Array>();

  constructor(
    private readonly objective: LmmObjective,
    dLambda: readonly Float64Array[],
  ) {
    const re = objective.re;
    this.dLambda = dLambda;
    this.thetaTerm = new Int32Array(re.nTheta);
    for (let t = 0; t < re.nTerms; t++) this.thetaTerm.fill(t, re.thetaOffset[t]!, re.thetaOffset[t + 1]!);
    this.nodeTerm = new Int32Array(re.nNodes);
    for (let t = 0; t < re.nTerms; t++) this.nodeTerm.fill(t, re.nodeBase[t]!, re.nodeBase[t + 1]!);
  }

  /** The profiled deviance at theta, with the gradient in g and the approximate Hessian (column-major) in H. */
  evaluate(theta: Float64Array, g: Float64Array, H: Float64Array): number {
    const { objective } = this;
    const re = objective.re;
    this.inverse.clear();
    const s = objective.solve(theta, true);
    if (!s) return Infinity;
    const system = objective.system;
    const chol = system.chol;
    const q = re.q;
    const dim = system.pattern.nodeStart[system.pattern.nNodes]!;
    const nTheta = re.nTheta;
    const lambdas = re.lambdas(theta);
    const N = objective.reml ? objective.n - objective.p : objective.n;
    const nu = N / s.pwrss;

    // w = Z'We from the cross-products.
    const fitted = new Float64Array(dim);
    re.applyLambda(lambdas, s.u, fitted);
    fitted.set(s.beta, q);
    const Gf = system.crossProductTimes(fitted, new Float64Array(dim));
    const w = new Float64Array(q);
    for (let j = 0; j < q; j++) w[j] = objective.zty[j]! - Gf[j]!;

    // Working variates, their products with G and the forward solves, while
    // the dense tail is as the factorisation left it (solveLFresh).
    const hs: Float64Array[] = [];
    const Ghs: Float64Array[] = [];
    const ys: Float64Array[] = [];
    const hw = new Float64Array(nTheta);
    for (let m = 0; m < nTheta; m++) {
      const h = this.workingVariate(m, lambdas, s.u, w, dim);
      const Gh = system.crossProductTimes(h, new Float64Array(dim));
      const y = Float64Array.from(Gh);
      re.applyLambdaT(lambdas, y.subarray(0, q));
      chol.solveLFresh(y);
      let d = 0;
      for (let j = 0; j < q; j++) d += h[j]! * w[j]!;
      hw[m] = d;
      hs.push(h);
      Ghs.push(Gh);
      ys.push(y);
    }

    const upto = objective.reml ? system.pattern.nNodes : re.nNodes;
    const selected = chol.selectedInverse(upto);
    if (selected === null) return Infinity;
    if (!objective.reml) this.inverse.set(theta, selected.diagonal);
    const S = this.traceBlocks(selected, lambdas, upto);

    for (let m = 0; m < nTheta; m++) {
      const t = this.thetaTerm[m]!;
      const k = re.k[t]!;
      const E = this.dLambda[m]!;
      let logDet = 0;
      let pw = 0;
      const base = this.termBlockBase(t);
      for (let level = 0; level < re.levels[t]!; level++) {
        const so = base + level * k * k;
        const o = re.coefBase[t]! + level * k;
        for (let a = 0; a < k; a++)
          for (let b = 0; b < k; b++) {
            // tr(S_j E) and w_j' E u_j.
            logDet += S[so + b * k + a]! * E[a * k + b]!;
            pw += w[o + a]! * E[b * k + a]! * s.u[o + b]!;
          }
      }
      g[m] = 2 * logDet - 2 * nu * pw;
    }
    for (let m = 0; m < nTheta; m++)
      for (let n = 0; n < nTheta; n++) {
        let hg = 0;
        for (let j = 0; j < q; j++) hg += hs[m]![j]! * Ghs[n]![j]!;
        let yy = 0;
        const ym = ys[m]!;
        const yn = ys[n]!;
        for (let i = 0; i < dim; i++) yy += ym[i]! * yn[i]!;
        H[n * nTheta + m] = nu * (hg - yy) - (nu * nu * hw[m]! * hw[n]!) / N;
      }
    // Symmetrise (the two triangles differ by rounding only).
    for (let m = 0; m < nTheta; m++)
      for (let n = 0; n < m; n++) {
        const v = (H[n * nTheta + m]! + H[m * nTheta + n]!) / 2;
        H[n * nTheta + m] = v;
        H[m * nTheta + n] = v;
      }
    return s.deviance;
  }

  /** diag blocks of (L_Z L_Z')^{-1} from the last evaluation when it was at theta (ML only, for the modes' SDs), else null. */
  inverseDiagonalAt(theta: Float64Array): Float64Array | null {
    return this.inverse.at(theta);
  }

  /** h_m = D_m u + Lambda D_m' w on the levels of theta m's term, 0 elsewhere (length dim). */
  private workingVariate(m: number, lambdas: readonly Float64Array[], u: Float64Array, w: Float64Array, dim: number): Float64Array {
    const re = this.objective.re;
    const t = this.thetaTerm[m]!;
    const k = re.k[t]!;
    const E = this.dLambda[m]!;
    const L = lambdas[t]!;
    const h = new Float64Array(dim);
    const tmp = new Float64Array(k);
    for (let level = 0; level < re.levels[t]!; level++) {
      const o = re.coefBase[t]! + level * k;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let r = 0; r < k; r++) s += E[c * k + r]! * w[o + r]!;
        tmp[c] = s;
      }
      for (let r = 0; r < k; r++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += E[c * k + r]! * u[o + c]! + L[c * k + r]! * tmp[c]!;
        h[o + r] = s;
      }
    }
    return h;
  }

  /** Offset of term t's first level in the S array (levels of k_t x k_t blocks, term after term). */
  private termBlockBase(t: number): number {
    const re = this.objective.re;
    let base = 0;
    for (let s = 0; s < t; s++) base += re.levels[s]! * re.k[s]! * re.k[s]!;
    return base;
  }

  /**
   * S_j = sum_i Z_ji Lambda_i' G_ij for every random-effects node j, over the
   * pattern's blocks between nodes below upto (each block (i, j), i > j,
   * serves both S_j and S_i; the fixed-effects node's Lambda is I).
   */
  private traceBlocks(
    selected: SelectedInverseParts,
    lambdas: readonly Float64Array[],
    upto: number,
  ): Float64Array {
    const re = this.objective.re;
    const system = this.objective.system;
    const { sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset } = system.pattern;
    const A = system.A;
    const nZ = re.nNodes;
    const blockAt = new Int32Array(nZ + 1);
    for (let j = 0; j < nZ; j++) blockAt[j + 1] = blockAt[j]! + sizes[j]! * sizes[j]!;
    const S = new Float64Array(blockAt[nZ]!);
    const { sparse, tail, tailDim, tailFrom, tailStart } = selected;
    let maxS = 1;
    for (let j = 0; j < upto; j++) maxS = Math.max(maxS, sizes[j]!);
    const Z = new Float64Array(maxS * maxS);
    const T1 = new Float64Array(maxS * maxS);
    const lambdaOf = (node: number): Float64Array | null => (node < nZ ? lambdas[this.nodeTerm[node]!]! : null);
    /** Z_ij (si x sj) into Z. */
    const readZ = (i: number, j: number, si: number, sj: number, off: number): void => {
      if (j < tailFrom) {
        Z.set(sparse.subarray(off, off + si * sj));
        return;
      }
      const ti = nodeStart[i]! - tailStart;
      const tj = nodeStart[j]! - tailStart;
      for (let c = 0; c < sj; c++)
        for (let r = 0; r < si; r++) {
          const a = ti + r;
          const b = tj + c;
          Z[c * si + r] = a >= b ? tail[b * tailDim + a]! : tail[a * tailDim + b]!;
        }
    };
    for (let j = 0; j < upto; j++) {
      const sj = sizes[j]!;
      const Lj = lambdaOf(j);
      if (j < nZ) {
        readZ(j, j, sj, sj, diagOffset[j]!);
        // S_j += Z_jj Lambda_j' G_jj.
        lambdaTransposeTimes(Lj!, A, diagOffset[j]!, sj, sj, T1);
        addProduct(S, blockAt[j]!, Z, false, T1, sj, sj, sj);
      }
      for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        if (i >= upto) continue;
        const si = sizes[i]!;
        const o = blockOffset[b]!;
        readZ(i, j, si, sj, o);
        if (j < nZ) {
          // S_j += Z_ij' (Lambda_i' G_ij).
          lambdaTransposeTimes(lambdaOf(i), A, o, si, sj, T1);
          addProduct(S, blockAt[j]!, Z, true, T1, sj, si, sj);
        }
        if (i < nZ) {
          // S_i += Z_ij (Lambda_j' G_ij')  (sj x si).
          lambdaTransposeTimesTransposed(Lj, A, o, si, sj, T1);
          addProduct(S, blockAt[i]!, Z, false, T1, si, sj, si);
        }
      }
    }
    return S;
  }
}

/** out (ri x c) = L' B for B the ri x c block at A[o] (L lower ri x ri, column-major; null is I). */
function lambdaTransposeTimes(L: Float64Array | null, A: Float64Array, o: number, ri: number, c: number, out: Float64Array): void {
  for (let cc = 0; cc < c; cc++)
    for (let r = 0; r < ri; r++) {
      if (L === null) {
        out[cc * ri + r] = A[o + cc * ri + r]!;
        continue;
      }
      // (L')_{r,m} = L_{m,r}, nonzero for m >= r.
      let s = 0;
      for (let m = r; m < ri; m++) s += L[r * ri + m]! * A[o + cc * ri + m]!;
      out[cc * ri + r] = s;
    }
}

/** out (sj x si) = L' B' for B the si x sj block at A[o] (L lower sj x sj; null is I). */
function lambdaTransposeTimesTransposed(L: Float64Array | null, A: Float64Array, o: number, si: number, sj: number, out: Float64Array): void {
  for (let cc = 0; cc < si; cc++)
    for (let r = 0; r < sj; r++) {
      if (L === null) {
        out[cc * sj + r] = A[o + r * si + cc]!;
        continue;
      }
      let s = 0;
      for (let m = r; m < sj; m++) s += L[r * sj + m]! * A[o + m * si + cc]!;
      out[cc * sj + r] = s;
    }
}

/**
 * S[at] (n x n) += op(Z) T with T (inner x n) column-major and Z stored
 * (n x inner) or, transposed, (inner x n).
 */
function addProduct(S: Float64Array, at: number, Z: Float64Array, transposed: boolean, T: Float64Array, n: number, inner: number, cols: number): void {
  for (let c = 0; c < cols; c++)
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let m = 0; m < inner; m++) s += (transposed ? Z[r * inner + m]! : Z[m * n + r]!) * T[c * inner + m]!;
      S[at + c * n + r]! += s;
    }
}
