import { GlmmInputError } from '@glmm/core';

/**
 * The covariance parameters on the scale users read them: per
 * random-effects term its standard deviations and (for structures that
 * estimate them) correlations, then the residual SD for models with a
 * scale; named and ordered as lme4's confint(..., oldNames = FALSE):
 * "sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject",
 * "sd_Days|Subject", "sigma".
 */

/** One random-effects term and the covariance structure behind its theta. */
export interface CovarianceTermLike {
  readonly group: string;
  readonly columnNames: readonly string[];
  /** Whether the structure estimates correlations (else its Lambda_t is diagonal). */
  readonly correlated: boolean;
  /** theta entries of the term. */
  readonly thetaCount: number;
  /** Lambda_t (k x k, column-major, lower triangular) of the term's theta slice. */
  lambda(theta: Float64Array): Float64Array;
}

export type ParameterKind = 'sd' | 'cor' | 'sigma';

export interface CovarianceParameter {
  readonly name: string;
  readonly kind: ParameterKind;
  /** Term index (-1 for sigma) and, within the term, row r and column j of Sigma_t (r = j for an sd). */
  readonly term: number;
  readonly r: number;
  readonly j: number;
}

/**
 * The map between theta (with sigma) and the sd/cor/sigma parameters.
 * `scaled`: whether Sigma_t = sigma^2 Lambda Lambda' with sigma a
 * parameter (linear mixed models); otherwise sigma is the fixed
 * `sigma` passed (1 for binomial and Poisson; lme4's sigma for Gamma).
 */
export class CovarianceParameters {
  readonly parameters: CovarianceParameter[] = [];
  private readonly offsets: number[] = [];
  /** Lambda_t of each unit theta vector, for mapping Lambda back to theta by least squares (every shipped structure is linear in theta). */
  private readonly basis: Float64Array[][] = [];
  readonly nTheta: number;

  constructor(
    readonly terms: readonly CovarianceTermLike[],
    readonly scaled: boolean,
  ) {
    let offset = 0;
    terms.forEach((t, ti) => {
      const k = t.columnNames.length;
      this.offsets.push(offset);
      offset += t.thetaCount;
      for (let j = 0; j < k; j++)
        for (let r = j; r < k; r++) {
          if (r === j) this.parameters.push({ name: `sd_${t.columnNames[j]}|${t.group}`, kind: 'sd', term: ti, r, j });
          else if (t.correlated)
            this.parameters.push({ name: `cor_${t.columnNames[r]}.${t.columnNames[j]}|${t.group}`, kind: 'cor', term: ti, r, j });
        }
      const unit: Float64Array[] = [];
      for (let i = 0; i < t.thetaCount; i++) {
        const e = new Float64Array(t.thetaCount);
        e[i] = 1;
        unit.push(t.lambda(e));
      }
      this.basis.push(unit);
    });
    this.nTheta = offset;
    if (scaled) this.parameters.push({ name: 'sigma', kind: 'sigma', term: -1, r: 0, j: 0 });
  }

  get names(): string[] {
    return this.parameters.map((p) => p.name);
  }

  /** sd/cor (and sigma) at (theta, sigma). A correlation involving a zero SD is reported as 0. */
  fromTheta(theta: Float64Array, sigma: number): Float64Array {
    const out = new Float64Array(this.parameters.length);
    const sigmas = this.terms.map((t, ti) => this.termCovariance(ti, theta, sigma));
    this.parameters.forEach((p, i) => {
      if (p.kind === 'sigma') {
        out[i] = sigma;
        return;
      }
      const S = sigmas[p.term]!;
      const k = this.terms[p.term]!.columnNames.length;
      if (p.kind === 'sd') out[i] = Math.sqrt(S[p.j * k + p.j]!);
      else {
        const d = Math.sqrt(S[p.r * k + p.r]! * S[p.j * k + p.j]!);
        out[i] = d > 0 ? S[p.j * k + p.r]! / d : 0;
      }
    });
    return out;
  }

  /** Sigma_t = sigma^2 Lambda Lambda', column-major. */
  private termCovariance(ti: number, theta: Float64Array, sigma: number): Float64Array {
    const t = this.terms[ti]!;
    const k = t.columnNames.length;
    const L = t.lambda(theta.subarray(this.offsets[ti]!, this.offsets[ti]! + t.thetaCount));
    const S = new Float64Array(k * k);
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += L[c * k + a]! * L[c * k + b]!;
        S[b * k + a] = sigma * sigma * s;
      }
    return S;
  }

  /**
   * theta (and sigma) of sd/cor/sigma parameters: Lambda_t = diag(sd) chol(C) / sigma,
   * which is lower triangular with a non-negative diagonal, as lme4's theta;
   * null where the correlations are not a valid correlation matrix.
   * `sigma` is used when the parameters do not include it.
   */
  toTheta(params: Float64Array, sigma = 1): { theta: Float64Array; sigma: number } | null {
    const s = this.scaled ? params[params.length - 1]! : sigma;
    if (!(s > 0)) return null;
    const theta = new Float64Array(this.nTheta);
    let next = 0;
    for (let ti = 0; ti < this.terms.length; ti++) {
      const t = this.terms[ti]!;
      const k = t.columnNames.length;
      const sd = new Float64Array(k);
      const C = new Float64Array(k * k);
      for (let a = 0; a < k; a++) C[a * k + a] = 1;
      for (let j = 0; j < k; j++)
        for (let r = j; r < k; r++) {
          if (r === j) sd[j] = params[next++]!;
          else if (t.correlated) {
            const c = params[next++]!;
            C[j * k + r] = c;
            C[r * k + j] = c;
          }
        }
      if (sd.some((v) => v < 0)) return null;
      const L = cholesky(C, k);
      if (!L) return null;
      for (let j = 0; j < k; j++) for (let r = j; r < k; r++) L[j * k + r] = (sd[r]! * L[j * k + r]!) / s;
      const slice = this.thetaOfLambda(ti, L);
      if (!slice) return null;
      theta.set(slice, this.offsets[ti]!);
    }
    return { theta, sigma: s };
  }

  /** The term's theta whose Lambda is L, by least squares on the structure's basis; null if no theta gives L. */
  private thetaOfLambda(ti: number, L: Float64Array): Float64Array | null {
    const basis = this.basis[ti]!;
    const m = basis.length;
    // Normal equations of a tiny system (m <= k(k+1)/2): G x = b.
    const G = new Float64Array(m * m);
    const b = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      for (let c = 0; c < m; c++) G[c * m + a] = dot(basis[a]!, basis[c]!);
      b[a] = dot(basis[a]!, L);
    }
    const x = solveSpd(G, b, m);
    if (!x) throw new Error('the covariance structure has a degenerate parameterisation');
    let resid = 0;
    let norm = 0;
    for (let e = 0; e < L.length; e++) {
      let v = 0;
      for (let a = 0; a < m; a++) v += x[a]! * basis[a]![e]!;
      resid += (v - L[e]!) ** 2;
      norm += L[e]! ** 2;
    }
    return resid <= 1e-20 * Math.max(norm, 1e-300) + 1e-30 ? x : null;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Lower Cholesky factor of a k x k column-major matrix; null unless positive definite. */
function cholesky(A: Float64Array, k: number): Float64Array | null {
  const L = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j]!;
    for (let c = 0; c < j; c++) d -= L[c * k + j]! ** 2;
    if (!(d > 0)) return null;
    const djj = Math.sqrt(d);
    L[j * k + j] = djj;
    for (let r = j + 1; r < k; r++) {
      let s = A[j * k + r]!;
      for (let c = 0; c < j; c++) s -= L[c * k + r]! * L[c * k + j]!;
      L[j * k + r] = s / djj;
    }
  }
  return L;
}

function solveSpd(G: Float64Array, b: Float64Array, m: number): Float64Array | null {
  const L = cholesky(G, m);
  if (!L) return null;
  const y = Float64Array.from(b);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < i; c++) y[i] = y[i]! - L[c * m + i]! * y[c]!;
    y[i] = y[i]! / L[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    for (let c = i + 1; c < m; c++) y[i] = y[i]! - L[i * m + c]! * y[c]!;
    y[i] = y[i]! / L[i * m + i]!;
  }
  return y;
}

/** The terms of a fitted model with their covariance structures (the plugins of its fit problem). */
export function covarianceTerms(
  terms: readonly { readonly group: string; readonly columnNames: readonly string[] }[],
  structures: readonly {
    readonly correlated: boolean;
    nTheta(k: number): number;
    lambda(theta: Float64Array, k: number, out: Float64Array): void;
  }[],
): CovarianceTermLike[] {
  if (terms.length !== structures.length)
    throw new GlmmInputError(`the model has ${terms.length} random-effects terms but ${structures.length} covariance structures`);
  return terms.map((t, i) => {
    const s = structures[i]!;
    const k = t.columnNames.length;
    return {
      group: t.group,
      columnNames: t.columnNames,
      correlated: s.correlated && k > 1,
      thetaCount: s.nTheta(k),
      lambda(theta: Float64Array): Float64Array {
        const out = new Float64Array(k * k);
        s.lambda(theta, k, out);
        return out;
      },
    };
  });
}
