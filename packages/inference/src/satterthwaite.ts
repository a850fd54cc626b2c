import { Matrix } from 'ml-matrix';
import { fromColumnMajor, symmetricEigen, toColumnMajor } from './dense.js';
import { centralDifferences, type DifferenceOptions } from './finite-differences.js';
import { sigmaDf, type LmmDeviance } from './lmm-deviance.js';

/**
 * What Satterthwaite's degrees of freedom are made of (lmerTest's
 * as_lmerModLT): the variance parameters varpar = (theta, sigma), the
 * asymptotic covariance A = 2 H^+ of varpar from the Hessian H of the
 * deviance (REML or ML, as the fit), and the Jacobian of vcov(beta) with
 * respect to varpar.
 */
export interface SatterthwaiteModel {
  readonly varpar: Float64Array;
  /** vcov(beta) at the optimum, column-major p x p. */
  readonly vcovBeta: Float64Array;
  /** d vcov(beta) / d varpar_k, column-major p x p, one per variance parameter. */
  readonly jacobian: readonly Float64Array[];
  /** A = 2 H^+, column-major k x k. */
  readonly vcovVarpar: Float64Array;
  /** H, the deviance's Hessian in varpar, column-major k x k. */
  readonly hessian: Float64Array;
  /** Messages about a Hessian that is not positive definite (the fit may not be at an optimum). */
  readonly warnings: readonly string[];
  /** Deviance evaluations spent. */
  readonly evaluations: number;
}

/** lmerTest's tolerance on the Hessian's eigenvalues. */
const EIGEN_TOL = 1e-8;

/**
 * Builds the Satterthwaite ingredients at (theta, sigma).  With the
 * deviance D = g(theta) + r(theta) / sigma^2 + nu log(2 pi sigma^2), where
 * g = ldL2 (+ ldRX2 for REML), r = pwrss and nu = n (n - p for REML), the
 * sigma derivatives are analytic and only g, r and (R_X'R_X)^{-1} are
 * differenced in theta: one set of evaluations serves the Hessian and the
 * Jacobian, and the sigma direction costs nothing.
 */
export function satterthwaiteModel(
  dev: LmmDeviance,
  theta: Float64Array,
  sigma: number,
  options: DifferenceOptions = {},
): SatterthwaiteModel {
  const m = theta.length;
  const p = dev.p;
  const nu = sigmaDf(dev);
  const f = (th: Float64Array): Float64Array | null => {
    const t = dev.terms(th);
    if (!t) return null;
    const out = new Float64Array(2 + p * p);
    out[0] = dev.reml ? t.ldL2 + t.ldRX2 : t.ldL2;
    out[1] = t.pwrss;
    out.set(t.fixedInverse, 2);
    return out;
  };
  const diff = centralDifferences(f, theta, { levels: 1, ...options, second: true });
  const r = diff.value[1]!;
  const F = diff.value.subarray(2);
  const s2 = sigma * sigma;
  const k = m + 1;
  const H = new Float64Array(k * k);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      const h = diff.hessian[i]![j]!;
      H[j * k + i] = h[0]! + h[1]! / s2;
    }
  for (let i = 0; i < m; i++) {
    const cross = (-2 * diff.gradient[i]![1]!) / (s2 * sigma);
    H[m * k + i] = cross;
    H[i * k + m] = cross;
  }
  H[m * k + m] = (6 * r) / (s2 * s2) - (2 * nu) / s2;

  const jacobian: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const dF = diff.gradient[i]!.subarray(2);
    jacobian.push(dF.map((v) => v * s2));
  }
  jacobian.push(F.map((v) => 2 * sigma * v));
  const vcovBeta = F.map((v) => v * s2);

  const { vcovVarpar, warnings } = varparCovariance(H, k);
  const varpar = new Float64Array(k);
  varpar.set(theta);
  varpar[m] = sigma;
  return { varpar, vcovBeta, jacobian, vcovVarpar, hessian: H, warnings, evaluations: diff.evaluations };
}

/**
 * A = 2 H^+ with the Moore-Penrose inverse over the eigenvalues above
 * lmerTest's tolerance; negative or zero eigenvalues are reported, since
 * the fit is then not at a (strict) optimum.
 */
export function varparCovariance(H: Float64Array, k: number): { vcovVarpar: Float64Array; warnings: string[] } {
  const { values, vectors } = symmetricEigen(fromColumnMajor(H, k));
  const warnings: string[] = [];
  const negative = values.filter((v) => v < -EIGEN_TOL);
  const zero = values.filter((v) => Math.abs(v) <= EIGEN_TOL);
  if (negative.length > 0)
    warnings.push(
      `the Hessian of the deviance in the variance parameters has ${negative.length} negative eigenvalue(s) (${negative.map((v) => v.toExponential(1)).join(', ')}): the fit may not have converged`,
    );
  if (zero.length > 0)
    warnings.push(
      `the Hessian of the deviance in the variance parameters has ${zero.length} eigenvalue(s) close to zero: the fit may not have converged or a variance parameter is not identified`,
    );
  const A = new Matrix(k, k);
  values.forEach((v, c) => {
    if (!(v > EIGEN_TOL)) return;
    for (let i = 0; i < k; i++) {
      const vi = (2 * vectors.get(i, c)) / v;
      for (let j = 0; j < k; j++) A.set(i, j, A.get(i, j) + vi * vectors.get(j, c));
    }
  });
  return { vcovVarpar: toColumnMajor(A), warnings };
}
