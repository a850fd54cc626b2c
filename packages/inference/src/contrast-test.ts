import { GlmmInputError } from '@glmm/core';
import { Matrix } from 'ml-matrix';
import { fromColumnMajor, quadraticForm, symmetricEigen } from './dense.js';
import type { DegreesOfFreedom, DfMethod } from './degrees-of-freedom.js';
import { chiSquareUpperP, fUpperP, normalTwoSidedP, tTwoSidedP } from './distributions.js';
import type { SatterthwaiteModel } from './satterthwaite.js';

/** One linear combination l'beta tested against rhs. */
export interface ContrastEstimate {
  readonly estimate: number;
  readonly stdError: number;
  /** Degrees of freedom of t; null for z. */
  readonly df: number | null;
  /** (l'beta - rhs) / SE. */
  readonly statistic: number;
  readonly pValue: number;
  readonly dfMethod: DfMethod;
}

/** A joint test of the rows of L beta = rhs. */
export interface ContrastFTest {
  /** Wald F = (L b - rhs)'(L V L')^-1 (L b - rhs) / numDF. */
  readonly F: number;
  /** Rank of L V L'. */
  readonly numDF: number;
  /** Denominator degrees of freedom; null for z (then numDF * F is chi-square on numDF). */
  readonly denDF: number | null;
  readonly pValue: number;
  readonly dfMethod: DfMethod;
  /** Notes about the hypothesis (e.g. a rank-deficient L with a non-zero right-hand side). */
  readonly notes: readonly string[];
}

/** sqrt(machine epsilon): lmerTest's rank tolerance on the eigenvalues of L V L'. */
const RANK_EPS = Math.sqrt(Number.EPSILON);

/** t (or z) test of l'beta = rhs. */
export function contrastT(
  l: ArrayLike<number>,
  rhs: number,
  beta: Float64Array,
  vcov: Float64Array,
  dof: DegreesOfFreedom,
): ContrastEstimate {
  checkLength(l, beta.length);
  let estimate = 0;
  for (let j = 0; j < beta.length; j++) estimate += l[j]! * beta[j]!;
  const variance = quadraticForm(l, vcov);
  if (!(variance > 0)) throw new GlmmInputError('the contrast has zero variance: it does not involve any estimated coefficient');
  const stdError = Math.sqrt(variance);
  const statistic = (estimate - rhs) / stdError;
  const df = dof.method === 'z' ? null : dof.method === 'residual' ? dof.df : satterthwaiteDf1(l, variance, dof.model);
  return {
    estimate,
    stdError,
    df,
    statistic,
    pValue: df === null ? normalTwoSidedP(statistic) : tTwoSidedP(statistic, df),
    dfMethod: dof.method,
  };
}

/** lmerTest's contest1D: nu = 2 (l'Vl)^2 / (g'Ag), g_k = l' (d V / d varpar_k) l. */
export function satterthwaiteDf1(l: ArrayLike<number>, variance: number, model: SatterthwaiteModel): number {
  const k = model.jacobian.length;
  const g = model.jacobian.map((J) => quadraticForm(l, J));
  const denominator = quadraticForm(g, model.vcovVarpar);
  const df = (2 * variance * variance) / denominator;
  if (!(df > 0) || !Number.isFinite(df))
    throw new GlmmInputError(
      `Satterthwaite's degrees of freedom are not defined for this contrast (the ${k} variance parameters do not determine its variance); use --ddf residual or z`,
    );
  return df;
}

/**
 * F test of L beta = rhs (lmerTest's contestMD): L V L' = P D P' is
 * decomposed, its rank q taken from the eigenvalues, and F the mean of the
 * q squared t statistics of the rotated contrasts P'L; with Satterthwaite
 * each rotated contrast has its own nu_m and the F's denominator DF follows
 * from E = sum nu_m / (nu_m - 2) as 2E / (E - q).
 */
export function contrastF(
  L: readonly (readonly number[])[],
  rhs: readonly number[],
  beta: Float64Array,
  vcov: Float64Array,
  dof: DegreesOfFreedom,
): ContrastFTest {
  const p = beta.length;
  if (L.length === 0) throw new GlmmInputError('the hypothesis has no rows');
  if (rhs.length !== L.length) throw new GlmmInputError(`the hypothesis has ${L.length} rows but ${rhs.length} right-hand sides`);
  for (const row of L) checkLength(row, p);
  const Lm = new Matrix(L.map((r) => [...r]));
  const V = fromColumnMajor(vcov, p);
  const LVL = Lm.mmul(V).mmul(Lm.transpose());
  const { values, vectors } = symmetricEigen(LVL);
  const tol = Math.max(RANK_EPS * values[0]!, 0);
  const q = values.filter((d) => d > tol).length;
  if (q === 0) throw new GlmmInputError('the hypothesis matrix has zero variance: it does not involve any estimated coefficient');
  const notes: string[] = [];
  if (q < L.length) {
    notes.push(`the ${L.length} rows of the hypothesis have rank ${q}; tested with ${q} numerator degrees of freedom`);
    if (rhs.some((c) => c !== 0)) notes.push('the hypothesis is rank deficient with a non-zero right-hand side: the test may be affected');
  }
  // Residuals of the hypothesis, L b - rhs, rotated: t_m = P_m'(L b - rhs) / sqrt(d_m).
  const resid = L.map((row, i) => row.reduce((s, v, j) => s + v * beta[j]!, 0) - rhs[i]!);
  let sum = 0;
  const rotated: Float64Array[] = [];
  for (let m = 0; m < q; m++) {
    let e = 0;
    const lm = new Float64Array(p);
    for (let i = 0; i < L.length; i++) {
      const pim = vectors.get(i, m);
      e += pim * resid[i]!;
      for (let j = 0; j < p; j++) lm[j] = lm[j]! + pim * L[i]![j]!;
    }
    sum += (e * e) / values[m]!;
    rotated.push(lm);
  }
  const F = sum / q;
  let denDF: number | null;
  switch (dof.method) {
    case 'z':
      denDF = null;
      break;
    case 'residual':
      denDF = dof.df;
      break;
    case 'satterthwaite': {
      const nu = rotated.map((lm, m) => satterthwaiteDf1(lm, values[m]!, dof.model));
      denDF = fStatisticDf(nu);
      break;
    }
  }
  const pValue = denDF === null ? chiSquareUpperP(F * q, q) : fUpperP(F, q, denDF);
  return { F, numDF: q, denDF, pValue, dfMethod: dof.method, notes };
}

/**
 * lmerTest's get_Fstat_ddf: the denominator DF of an F that is the mean of
 * q squared t statistics with nu_1..nu_q DF (2 when any nu <= 2; their mean
 * when they agree to 1e-8).
 */
export function fStatisticDf(nu: readonly number[]): number {
  if (nu.length === 1) return nu[0]!;
  if (nu.every((v, i) => i === 0 || Math.abs(v - nu[i - 1]!) < 1e-8)) return nu.reduce((a, b) => a + b, 0) / nu.length;
  if (nu.some((v) => v <= 2)) return 2;
  const E = nu.reduce((s, v) => s + v / (v - 2), 0);
  return (2 * E) / (E - nu.length);
}

function checkLength(l: ArrayLike<number>, p: number): void {
  if (l.length !== p) throw new GlmmInputError(`a contrast has ${l.length} coefficients; the model has ${p} fixed effects`);
  for (let j = 0; j < p; j++)
    if (!Number.isFinite(l[j]!)) throw new GlmmInputError(`a contrast coefficient is not a finite number (${l[j]})`);
}

