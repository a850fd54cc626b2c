import type { CovarianceStructure, ModelMatrices, RandomTerm } from '@glmm/core';

/**
 * Layout of the random effects b = Lambda(theta) u: term t has `levels[t]`
 * nodes of size k_t, numbered consecutively in term order, and its slice of
 * theta maps to the k_t x k_t factor Lambda_t through its covariance plugin.
 */
export class RandomEffectsStructure {
  readonly terms: readonly RandomTerm[];
  readonly nTerms: number;
  readonly k: Int32Array;
  readonly levels: Int32Array;
  /** First node of each term. */
  readonly nodeBase: Int32Array;
  /** Offset of each term's first coefficient in u (and b). */
  readonly coefBase: Int32Array;
  readonly nNodes: number;
  /** Dimension q of u. */
  readonly q: number;
  readonly thetaOffset: Int32Array;
  readonly nTheta: number;
  readonly lower: Float64Array;
  /** Whether each theta is a diagonal element (bounded at 0), used to detect singular fits. */
  readonly isDiagonal: Uint8Array;
  private readonly lambdaScratch: Float64Array[];

  constructor(
    readonly model: ModelMatrices,
    readonly covariances: readonly CovarianceStructure[],
  ) {
    this.terms = model.terms;
    const T = model.terms.length;
    this.nTerms = T;
    this.k = new Int32Array(T);
    this.levels = new Int32Array(T);
    this.nodeBase = new Int32Array(T + 1);
    this.coefBase = new Int32Array(T + 1);
    this.thetaOffset = new Int32Array(T + 1);
    for (let t = 0; t < T; t++) {
      const term = model.terms[t]!;
      this.k[t] = term.columns.length;
      this.levels[t] = term.levels.length;
      this.nodeBase[t + 1] = this.nodeBase[t]! + term.levels.length;
      this.coefBase[t + 1] = this.coefBase[t]! + term.levels.length * term.columns.length;
      this.thetaOffset[t + 1] = this.thetaOffset[t]! + covariances[t]!.nTheta(term.columns.length);
    }
    this.nNodes = this.nodeBase[T]!;
    this.q = this.coefBase[T]!;
    this.nTheta = this.thetaOffset[T]!;
    this.lower = new Float64Array(this.nTheta);
    this.isDiagonal = new Uint8Array(this.nTheta);
    for (let t = 0; t < T; t++) {
      const lb = covariances[t]!.lowerBounds(this.k[t]!);
      this.lower.set(lb, this.thetaOffset[t]!);
      for (let i = 0; i < lb.length; i++) this.isDiagonal[this.thetaOffset[t]! + i] = lb[i] === 0 ? 1 : 0;
    }
    this.lambdaScratch = Array.from({ length: T }, (_, t) => new Float64Array(this.k[t]! * this.k[t]!));
  }

  /**
   * Whether every term is scalar with Lambda_t = theta_t (intercepts or
   * single slopes under the usual covariance), the structure whose
   * derivatives in theta reduce to traces of the inverse over each term:
   * d Lambda / d theta_t is then the indicator of term t's levels.  Read off
   * the plugins' declarations (linear in theta, d Lambda / d theta = 1).
   */
  scalarThetaTerms(): boolean {
    if (this.nTerms === 0) return false;
    const dLambda = this.lambdaDerivatives();
    if (dLambda === null) return false;
    for (let t = 0; t < this.nTerms; t++) {
      if (this.k[t] !== 1 || this.thetaOffset[t + 1]! - this.thetaOffset[t]! !== 1) return false;
      if (dLambda[this.thetaOffset[t]!]![0] !== 1) return false;
    }
    return true;
  }

  /**
   * The theta index of each diagonal entry of Lambda_t (Lambda_cc at the
   * c-th), as the term's covariance plugin declares them
   * (CovarianceStructure.diagonalThetaPositions), or null when it declares none.
   */
  diagonalThetaPositions(t: number): Int32Array | null {
    const local = this.covariances[t]!.diagonalThetaPositions?.(this.k[t]!) ?? null;
    if (local === null || local.length !== this.k[t]) return null;
    return local.map((i) => i + this.thetaOffset[t]!);
  }

  private dLambda: Float64Array[] | null | undefined;

  /**
   * d Lambda_t / d theta for every theta (k_t x k_t, column-major, in
   * theta's order), or null when some term's covariance does not declare
   * itself linear in theta (CovarianceStructure.linearInTheta): then
   * d Lambda / d theta_m is the constant lambda(e_m).  The exact gradients
   * of the LMM and Laplace deviances for terms with several columns need it.
   */
  lambdaDerivatives(): Float64Array[] | null {
    if (this.dLambda !== undefined) return this.dLambda;
    const out: Float64Array[] = [];
    for (let t = 0; t < this.nTerms; t++) {
      const cov = this.covariances[t]!;
      if (cov.linearInTheta !== true) return (this.dLambda = null);
      const k = this.k[t]!;
      const nt = this.thetaOffset[t + 1]! - this.thetaOffset[t]!;
      for (let i = 0; i < nt; i++) {
        const e = new Float64Array(nt);
        e[i] = 1;
        const L = new Float64Array(k * k);
        cov.lambda(e, k, L);
        out.push(L);
      }
    }
    return (this.dLambda = out);
  }

  /**
   * Restart points for a gradient search that stopped with a diagonal entry
   * of some Lambda_t at 0: there the sign of the rest of that column is
   * arbitrary (flipping a whole column of Lambda_t leaves Lambda_t Lambda_t'
   * alone), but the derivative in the diagonal entry is proportional to the
   * entries below it, so the bound can hold the search at a point that is
   * no minimum.  For each such column with entries below the diagonal, theta
   * with those entries negated and the diagonal at `delta`; empty when there
   * is none (or the covariance maps theta to Lambda in some other way).
   */
  zeroDiagonalRestarts(theta: Float64Array, delta: number): Float64Array[] {
    const dLambda = this.lambdaDerivatives();
    if (dLambda === null) return [];
    const out: Float64Array[] = [];
    for (let t = 0; t < this.nTerms; t++) {
      const k = this.k[t]!;
      if (k < 2) continue;
      const diagonal = this.diagonalThetaPositions(t);
      if (diagonal === null) continue;
      // The (row, column) each of the term's theta sets, when it sets one entry alone.
      const entry = new Map<number, [number, number]>();
      for (let m = this.thetaOffset[t]!; m < this.thetaOffset[t + 1]!; m++) {
        const E = dLambda[m]!;
        let at = -1;
        for (let e = 0; e < k * k; e++)
          if (E[e] !== 0) {
            if (at >= 0 || E[e] !== 1) return [];
            at = e;
          }
        if (at < 0) return [];
        entry.set(m, [at % k, Math.floor(at / k)]);
      }
      for (let c = 0; c < k; c++) {
        const d = diagonal[c]!;
        if (theta[d]! > this.lower[d]!) continue;
        const restart = Float64Array.from(theta);
        let below = false;
        for (const [m, [row, col]] of entry)
          if (col === c && row > c && theta[m] !== 0) {
            restart[m] = -theta[m]!;
            below = true;
          }
        if (!below) continue;
        restart[d] = this.lower[d]! + delta;
        out.push(restart);
      }
    }
    return out;
  }

  initialTheta(): Float64Array {
    const th = new Float64Array(this.nTheta);
    for (let t = 0; t < this.nTerms; t++) th.set(this.covariances[t]!.initialTheta(this.k[t]!), this.thetaOffset[t]!);
    return th;
  }

  /** Lambda_t for every term (column-major k x k); the arrays are reused between calls. */
  lambdas(theta: Float64Array): Float64Array[] {
    for (let t = 0; t < this.nTerms; t++) {
      const o = this.thetaOffset[t]!;
      this.covariances[t]!.lambda(theta.subarray(o, this.thetaOffset[t + 1]!), this.k[t]!, this.lambdaScratch[t]!);
    }
    return this.lambdaScratch;
  }

  /** b = Lambda u, node by node. */
  applyLambda(lambdas: readonly Float64Array[], u: Float64Array, out: Float64Array = new Float64Array(this.q)): Float64Array {
    for (let t = 0; t < this.nTerms; t++) {
      const k = this.k[t]!;
      const L = lambdas[t]!;
      const base = this.coefBase[t]!;
      const nl = this.levels[t]!;
      if (k === 1) {
        const l = L[0]!;
        for (let j = 0; j < nl; j++) out[base + j] = l * u[base + j]!;
        continue;
      }
      for (let j = 0; j < nl; j++) {
        const o = base + j * k;
        for (let r = k - 1; r >= 0; r--) {
          let s = 0;
          for (let c = 0; c <= r; c++) s += L[c * k + r]! * u[o + c]!;
          out[o + r] = s;
        }
      }
    }
    return out;
  }

  /** out += Z b (per row: the term columns times the row's level coefficients). */
  addZb(b: Float64Array, out: Float64Array): Float64Array {
    const n = this.model.n;
    for (let t = 0; t < this.nTerms; t++) {
      const term = this.terms[t]!;
      const k = this.k[t]!;
      const base = this.coefBase[t]!;
      const idx = term.index;
      for (let c = 0; c < k; c++) {
        const col = term.columns[c]!;
        for (let r = 0; r < n; r++) out[r]! += col[r]! * b[base + idx[r]! * k + c]!;
      }
    }
    return out;
  }

  /** out = Z' v (length q). */
  ztv(v: Float64Array, out: Float64Array = new Float64Array(this.q)): Float64Array {
    out.fill(0);
    const n = this.model.n;
    for (let t = 0; t < this.nTerms; t++) {
      const term = this.terms[t]!;
      const k = this.k[t]!;
      const base = this.coefBase[t]!;
      const idx = term.index;
      for (let c = 0; c < k; c++) {
        const col = term.columns[c]!;
        for (let r = 0; r < n; r++) out[base + idx[r]! * k + c]! += col[r]! * v[r]!;
      }
    }
    return out;
  }

  /** u := Lambda' u (in place), used to scale Z'W r into the spherical coordinates. */
  applyLambdaT(lambdas: readonly Float64Array[], v: Float64Array): Float64Array {
    for (let t = 0; t < this.nTerms; t++) {
      const k = this.k[t]!;
      const L = lambdas[t]!;
      const base = this.coefBase[t]!;
      const nl = this.levels[t]!;
      if (k === 1) {
        const l = L[0]!;
        for (let j = 0; j < nl; j++) v[base + j]! *= l;
        continue;
      }
      for (let j = 0; j < nl; j++) {
        const o = base + j * k;
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let r = c; r < k; r++) s += L[c * k + r]! * v[o + r]!;
          v[o + c] = s;
        }
      }
    }
    return v;
  }
}
