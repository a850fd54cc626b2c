import { GlmmInputError } from '@glmm/core';
import { Matrix, solve } from 'ml-matrix';
import { leastSquares } from './dense.js';
import { designLayout, termColumnValue, type DesignLayout, type FrameEncodingLike, type LayoutTerm } from './design-layout.js';

/** The hypothesis of one fixed-effects term: L beta = 0, in the model's own coefficients. */
export interface TermHypothesis {
  /** As R labels it: "A", "A:B". */
  readonly term: string;
  /** Rows of L, each of length p. */
  readonly L: number[][];
}

/** Which anova hypotheses: Type III as lmerTest and SAS define it, or fitglme's coding-dependent marginal test. */
export type AnovaType = '3' | 'marginal';

/**
 * fitglme's (and lmerTest's type = "marginal") test of each term: its own
 * columns equal to zero.  With treatment coding and an interaction this
 * tests a main effect at the reference level of the other factor.
 */
export function marginalHypotheses(layout: DesignLayout): TermHypothesis[] {
  return layout.terms.map((t) => ({
    term: t.label,
    L: t.columns.map((c) => {
      const row = new Array<number>(layout.p).fill(0);
      row[c] = 1;
      return row;
    }),
  }));
}

/** Beyond this many cells of the predictors' grid the Type III hypotheses are refused (use the marginal test). */
const MAX_GRID_ROWS = 250_000;

/**
 * Type III hypotheses as lmerTest's get_contrasts_type3 (and SAS) define
 * them, independent of the coding: the estimable functions of the
 * over-parameterised model (every factor coded by one indicator per level)
 * in the treatment-coded parameters, B = X^+ X_full, with each term's rows
 * made orthogonal to those of the terms that contain it (higher-order
 * terms first), restricted to the treatment-coded columns, then carried to
 * the model's own coding by X_treatment^+ X_model.  Since both designs are
 * the same functions of the predictors, B is computed on a synthetic grid
 * (every combination of factor levels, numeric variables at seeded random
 * values), not on the data: a model loaded without its data has it too.
 */
export function type3Hypotheses(encoding: FrameEncodingLike): TermHypothesis[] {
  const model = designLayout(encoding);
  // lmerTest: with at most one term (or one column) Type III is Type I, which for one term is its own columns.
  if (model.p <= 1 || model.terms.length <= 1) return marginalHypotheses(model);
  const treatment = designLayout(encoding, true);
  const grid = syntheticGrid(treatment);
  const Xt = designOn(treatment, grid);
  const full = overParameterised(treatment, grid);
  // L: one row per over-parameterised column, one column per treatment-coded coefficient.
  const L = leastSquares(Xt, full.matrix).transpose();
  zap(L);
  orthogonaliseContained(L, treatment);
  // The treatment-coded coefficients are those over-parameterised columns themselves.
  const rows = treatmentColumnsInFull(treatment, full.offsets);
  const coding = sameCoding(model, treatment) ? null : leastSquares(Xt, designOn(model, grid));
  return treatment.terms.map((t) => {
    const hyp: number[][] = [];
    for (const c of t.columns) {
      let row = rows.map((r) => L.get(r, c));
      if (row.reduce((s, v) => s + Math.abs(v), 0) <= 1e-8) continue;
      if (coding) row = row.map((_, j) => row.reduce((s, v, i) => s + v * coding.get(i, j), 0));
      hyp.push(row);
    }
    return { term: t.label, L: hyp };
  });
}

/** The anova hypotheses of a model's terms. */
export function termHypotheses(encoding: FrameEncodingLike, type: AnovaType): TermHypothesis[] {
  return type === '3' ? type3Hypotheses(encoding) : marginalHypotheses(designLayout(encoding));
}

interface Grid {
  readonly n: number;
  /** Level of each factor variable per row (row-major n x variables), -1 for numerics. */
  readonly levels: Int32Array;
  /** Value of each numeric variable per row (row-major), 0 for factors. */
  readonly values: Float64Array;
  readonly nvar: number;
}

/**
 * Every combination of the factors' levels, each repeated with independent
 * random values of the numeric variables often enough that every monomial
 * the terms can form is identified (one row per cell without numerics).
 */
function syntheticGrid(layout: DesignLayout): Grid {
  const nvar = layout.variables.length;
  const factors = layout.variables.map((v, i) => ({ v, i })).filter(({ v }) => v.levels > 0);
  const cells = factors.reduce((a, { v }) => a * v.levels, 1);
  const hasNumeric = layout.variables.some((v) => v.levels === 0);
  const reps = hasNumeric ? layout.terms.length + 2 : 1;
  const n = cells * reps;
  if (n > MAX_GRID_ROWS)
    throw new GlmmInputError(
      `Type III hypotheses need every combination of the ${factors.length} categorical predictors' levels (${cells} cells); use the marginal test (type "marginal") for this model`,
    );
  const levels = new Int32Array(n * nvar).fill(-1);
  const values = new Float64Array(n * nvar);
  const random = seededUniform(20240611);
  for (let cell = 0; cell < cells; cell++) {
    for (let r = 0; r < reps; r++) {
      const row = cell * reps + r;
      let rest = cell;
      for (const { v, i } of factors) {
        levels[row * nvar + i] = rest % v.levels;
        rest = Math.floor(rest / v.levels);
      }
      for (let i = 0; i < nvar; i++) if (layout.variables[i]!.levels === 0) values[row * nvar + i] = 0.5 + 1.5 * random();
    }
  }
  return { n, levels, values, nvar };
}

function designOn(layout: DesignLayout, grid: Grid): Matrix {
  const X = new Matrix(grid.n, layout.p);
  for (let row = 0; row < grid.n; row++) {
    const levelOf = (v: number): number => grid.levels[row * grid.nvar + v]!;
    const valueOf = (v: number): number => grid.values[row * grid.nvar + v]!;
    if (layout.intercept >= 0) X.set(row, layout.intercept, 1);
    for (const t of layout.terms) t.columns.forEach((col, c) => X.set(row, col, termColumnValue(t, c, levelOf, valueOf)));
  }
  return X;
}

/**
 * lmerTest's get_rdX: the intercept and, per term, one column per
 * combination of its factors' levels (times its numeric variables).
 * `offsets[t]` is where term t's columns start.
 */
function overParameterised(layout: DesignLayout, grid: Grid): { matrix: Matrix; offsets: number[] } {
  const offsets: number[] = [];
  let P = layout.intercept >= 0 ? 1 : 0;
  for (const t of layout.terms) {
    offsets.push(P);
    P += cellsOf(layout, t);
  }
  const M = new Matrix(grid.n, P);
  for (let row = 0; row < grid.n; row++) {
    if (layout.intercept >= 0) M.set(row, 0, 1);
    layout.terms.forEach((t, ti) => {
      let cell = 0;
      let stride = 1;
      let value = 1;
      for (const v of t.variables) {
        const L = layout.variables[v]!.levels;
        if (L > 0) {
          cell += grid.levels[row * grid.nvar + v]! * stride;
          stride *= L;
        } else value *= grid.values[row * grid.nvar + v]!;
      }
      M.set(row, offsets[ti]! + cell, value);
    });
  }
  return { matrix: M, offsets };
}

function cellsOf(layout: DesignLayout, t: LayoutTerm): number {
  return t.variables.reduce((a, v) => a * Math.max(1, layout.variables[v]!.levels), 1);
}

/**
 * The row of L (an over-parameterised column) each treatment-coded
 * coefficient is: treatment contrast k of a factor is its level k + 1,
 * indicator k its level k.
 */
function treatmentColumnsInFull(layout: DesignLayout, offsets: readonly number[]): number[] {
  const rows = new Array<number>(layout.p);
  if (layout.intercept >= 0) rows[layout.intercept] = 0;
  layout.terms.forEach((t, ti) => {
    t.columns.forEach((col, c) => {
      let rest = c;
      let cell = 0;
      let stride = 1;
      t.variables.forEach((v, a) => {
        const size = t.sizes[a]!;
        const k = rest % size;
        rest = Math.floor(rest / size);
        const L = layout.variables[v]!.levels;
        if (L > 0) {
          cell += (t.contrasts[a] ? k + 1 : k) * stride;
          stride *= L;
        }
      });
      rows[col] = offsets[ti]! + cell;
    });
  });
  return rows;
}

/**
 * lmerTest's containment: term A is contained in B when B has every
 * variable of A and more, and both have the same numeric variables.
 */
function containingTerms(layout: DesignLayout, t: LayoutTerm): LayoutTerm[] {
  const numerics = (u: LayoutTerm): number[] => u.variables.filter((v) => layout.variables[v]!.levels === 0);
  const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v) => b.includes(v));
  return layout.terms.filter(
    (u) => u !== t && t.variables.every((v) => u.variables.includes(v)) && u.variables.length > t.variables.length && same(numerics(t), numerics(u)),
  );
}

/** Higher-order terms first: each contained term's columns of L become residuals on its containers' columns. */
function orthogonaliseContained(L: Matrix, layout: DesignLayout): void {
  const order = layout.terms.map((t, i) => ({ t, i })).sort((a, b) => b.t.variables.length - a.t.variables.length || a.i - b.i);
  for (const { t } of order) {
    const containers = containingTerms(layout, t);
    if (containers.length === 0) continue;
    const cols = containers.flatMap((u) => [...u.columns]);
    const X = new Matrix(L.rows, cols.length);
    cols.forEach((c, k) => X.setColumn(k, L.getColumn(c)));
    const Y = new Matrix(L.rows, t.columns.length);
    t.columns.forEach((c, k) => Y.setColumn(k, L.getColumn(c)));
    // The containers' columns can be linearly dependent: least squares by SVD.
    const coef = solve(X, Y, true);
    const resid = Y.sub(X.mmul(coef));
    zap(resid);
    t.columns.forEach((c, k) => L.setColumn(c, resid.getColumn(k)));
  }
}

/** R's zapsmall in effect: entries negligible next to the largest become exact zeros. */
function zap(M: Matrix): void {
  let max = 0;
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) max = Math.max(max, Math.abs(M.get(i, j)));
  const tol = 1e-10 * Math.max(max, 1);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) if (Math.abs(M.get(i, j)) < tol) M.set(i, j, 0);
}

function sameCoding(a: DesignLayout, b: DesignLayout): boolean {
  return a.terms.every((t, i) => t.codings.every((c, k) => c === null || arraysEqual(c, b.terms[i]!.codings[k]!)));
}

function arraysEqual(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** mulberry32: a small seeded generator, so that the grid (and thus the hypotheses) never vary between runs. */
function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
