import { GlmmInputError, type ModelMatrices, type RandomTerm } from '@glmm/core';
import { resolveCoding, type CategoricalCoding, type CodingSpec } from './coding.js';
import { ColumnContext } from './column-context.js';
import { onesColumn, zerosColumn } from './constant-columns.js';
import { toDataTable, type DataInput } from './data-table.js';
import { buildDesign, type VariableData } from './design.js';
import { evaluateExpr } from './evaluate.js';
import { describeExclusions, requestedExclusions, screenRows, type RowCheck } from './exclusions.js';
import { deparse, exprColumns, type Expr } from './expr.js';
import { interactionCodes } from './factor.js';
import { parseFormula, type Formula, type FormulaVariable, type TermSet } from './formula.js';
import { fixedTermEncodings, variableEncodings, type ModelFrameEncoding, type RandomTermEncoding } from './model-frame.js';
import { aliasedColumns } from './rank.js';

export interface BuildOptions {
  /** Numeric columns to treat as categorical. */
  readonly categorical?: readonly string[];
  /** Default true; false acts like "0 +". */
  readonly intercept?: boolean;
  /** Optional prior-weights column. */
  readonly weights?: string;
  /** Optional offset column. */
  readonly offset?: string;
  /**
   * Where the fixed-effects design X goes: an array of exactly `length`
   * elements, which need not be zeroed (default: a new array). A caller that
   * fits many models can hand out the same memory each time, as long as it
   * uses the model only until the next one is built.
   */
  readonly designStorage?: (length: number) => Float64Array;
  /**
   * Coding of the categorical fixed-effect predictors: one for all, or per
   * column (see CategoricalCoding); default reference (treatment) coding.
   */
  readonly coding?: CodingSpec;
  /** Rows to leave out, 1-based as the excluded-row report numbers them (fitglme's 'Exclude'). */
  readonly exclude?: readonly number[];
}

/** The numeric model and how its frame encodes data (for new data and saved models). */
export interface ModelFrame {
  readonly model: ModelMatrices;
  readonly encoding: ModelFrameEncoding;
}

/** A numeric quantity of the model frame: a column or an expression over columns. */
interface NumericSource {
  readonly label: string;
  /** Values over all rows of the table. */
  readonly values: Float64Array;
}

/**
 * Values on the used rows. When every row is used (rows is then 0..n-1) this
 * is `values` itself, not a copy: the model frame only reads these arrays,
 * and ModelMatrices is read-only downstream.
 */
function select(values: Float64Array, rows: Int32Array): Float64Array {
  if (rows.length === values.length) return values;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i] as number] as number;
  return out;
}

/**
 * Collects the row checks in the order R builds the model frame (response,
 * fixed variables, random-term variables, grouping factors, weights, offset).
 */
export class FrameBuilder {
  readonly checks: RowCheck[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly ctx: ColumnContext) {}

  private add(key: string, make: () => RowCheck): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.checks.push(make());
  }

  numericColumn(name: string, role: string): NumericSource {
    this.ctx.requireNumeric(name, role);
    this.add(`n:${name}`, () => this.ctx.numericCheck(name));
    return { label: name, values: this.ctx.numericValues(name) };
  }

  categoricalColumn(name: string, role: string): void {
    this.ctx.column(name, role);
    this.add(`c:${name}`, () => this.ctx.categoricalCheck(name));
  }

  expression(e: Expr, role: string): NumericSource {
    if (e.kind === 'name') return this.numericColumn(e.name, role);
    if (e.kind === 'paren') return this.expression(e.inner, role);
    for (const name of exprColumns(e)) this.numericColumn(name, `${role} (in ${deparse(e)})`);
    const label = deparse(e);
    const values = evaluateExpr(e, (name) => this.ctx.numericValues(name), this.ctx.table.nrows);
    this.add(`e:${label}`, () => ColumnContext.derivedCheck(label, values));
    return { label, values };
  }

  /** Registers a formula variable; returns how to materialise it on the used rows. */
  variable(v: FormulaVariable, role: string): (rows: Int32Array) => VariableData {
    const column = v.column;
    if (v.kind === 'factor' || (v.kind === 'column' && column !== undefined && this.ctx.kind(column) === 'categorical')) {
      const name = column as string;
      this.categoricalColumn(name, role);
      return (rows) => ({ kind: 'factor', factor: this.ctx.factor(name, rows) });
    }
    const src = this.expression(v.expr, role);
    return (rows) => ({ kind: 'numeric', values: select(src.values, rows) });
  }

  termSet(set: TermSet, role: string): (rows: Int32Array) => VariableData[] {
    const makers = set.variables.map((v) => this.variable(v, role));
    const used = new Set(set.terms.flatMap((t) => t.variables));
    const placeholder: VariableData = { kind: 'numeric', values: new Float64Array(0) };
    return (rows) => makers.map((m, i) => (used.has(i) ? m(rows) : placeholder));
  }
}

function responseValues(f: Formula, frame: FrameBuilder): { y: NumericSource; failures?: NumericSource } {
  const r = f.response;
  if (r.kind === 'cbind') {
    return { y: frame.expression(r.successes, 'the response'), failures: frame.expression(r.failures, 'the response') };
  }
  if (r.kind === 'column') {
    const ctx = frame.ctx;
    ctx.column(r.column, 'the response');
    if (ctx.kind(r.column) === 'categorical' && !ctx.isLogical(r.column)) {
      ctx.requireNumeric(r.column, 'the response');
    }
    if (ctx.kind(r.column) === 'categorical') {
      // A logical (TRUE/FALSE) response reads as 0/1, as in R.
      frame.checks.push(ctx.numericCheck(r.column));
      return { y: { label: r.column, values: ctx.numericValues(r.column) } };
    }
    return { y: frame.numericColumn(r.column, 'the response') };
  }
  return { y: frame.expression(r.expr, 'the response') };
}

function checkCounts(label: string, v: Float64Array, rows: Int32Array): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (x < 0) {
      throw new GlmmInputError(`binomial count "${label}" is negative (${x}) at row ${(rows[i] as number) + 1}; cbind() needs counts >= 0`);
    }
    if (Math.abs(x - Math.round(x)) > 1e-8 * Math.max(1, Math.abs(x))) {
      throw new GlmmInputError(`binomial count "${label}" is not a whole number (${x}) at row ${(rows[i] as number) + 1}; cbind() needs integer counts`);
    }
  }
}

/**
 * Builds the numeric model (response, X, random terms) from an lme4 formula
 * and data. The arrays of the result are read-only: some are the data's own
 * columns, and constant ones (unit weights, a zero offset, a column of ones,
 * the row numbers) are shared between models.
 */
export function buildModel(formula: string | Formula, data: DataInput, options: BuildOptions = {}): ModelMatrices {
  return buildModelFrame(formula, data, options).model;
}

/** buildModel, with the frame's encoding (factor levels, codings, terms) beside the model. */
export function buildModelFrame(formula: string | Formula, data: DataInput, options: BuildOptions = {}): ModelFrame {
  const f = typeof formula === 'string' ? parseFormula(formula) : formula;
  const table = toDataTable(data);
  if (table.nrows === 0) {
    throw new GlmmInputError(`data has 0 rows (columns: ${table.names.length ? table.names.join(', ') : 'none'}); nothing to fit`);
  }
  const ctx = new ColumnContext(table, options.categorical ?? []);
  const frame = new FrameBuilder(ctx);
  const exclude = requestedExclusions(options.exclude ?? [], table.nrows);
  // Rows left out by request are charged to the request before any column is looked at, as R subsets before na.action.
  if (exclude.check) frame.checks.push(exclude.check);

  const response = responseValues(f, frame);
  const fixedSet: TermSet = options.intercept === false ? { ...f.fixed, intercept: false } : f.fixed;
  const fixedData = frame.termSet(fixedSet, 'a fixed effect');
  const randomData = f.random.map((spec) => frame.termSet(spec.lhs, `a random effect of ${spec.group}`));
  for (const spec of f.random) for (const g of spec.factors) frame.categoricalColumn(g, `the grouping factor ${spec.group}`);
  const weightSrc = options.weights === undefined ? undefined : frame.numericColumn(options.weights, 'weights');
  const offsetSrcs: NumericSource[] = [];
  if (options.offset !== undefined) offsetSrcs.push(frame.numericColumn(options.offset, 'offset'));
  for (const e of f.offsets) offsetSrcs.push(frame.expression(e, 'offset'));

  const { usedRows: rows, excluded } = screenRows(table.nrows, frame.checks);
  const n = rows.length;
  if (n === 0) {
    throw new GlmmInputError(
      `no rows left to fit: all ${table.nrows} rows were excluded (${describeExclusions(excluded)})`,
    );
  }

  // Response, binomial trials and prior weights. Unit trials, weights equal
  // to the trials and a zero offset are the shared constant columns.
  let y: Float64Array;
  let trials: Float64Array;
  if (response.failures) {
    const s = select(response.y.values, rows);
    const fl = select(response.failures.values, rows);
    checkCounts(response.y.label, s, rows);
    checkCounts(response.failures.label, fl, rows);
    y = new Float64Array(n);
    trials = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = (s[i] as number) + (fl[i] as number);
      trials[i] = t;
      y[i] = t > 0 ? (s[i] as number) / t : 0;
    }
  } else {
    y = select(response.y.values, rows);
    trials = onesColumn(n);
  }
  let weights = trials;
  if (weightSrc) {
    const w = select(weightSrc.values, rows);
    weights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if ((w[i] as number) < 0) {
        throw new GlmmInputError(`weights column "${weightSrc.label}" has a negative value (${w[i]}) at row ${(rows[i] as number) + 1}; weights must be >= 0`);
      }
      weights[i] = (w[i] as number) * (trials[i] as number);
    }
  }
  let offset = zerosColumn(n);
  if (offsetSrcs.length > 0) {
    offset = new Float64Array(n);
    for (const src of offsetSrcs) {
      for (let i = 0; i < n; i++) offset[i] = (offset[i] as number) + (src.values[rows[i] as number] as number);
    }
  }

  // Fixed effects.
  const fixedVars = fixedData(rows);
  const factorColumns = [...new Set(fixedVars.flatMap((d, v) => (d.kind === 'factor' ? [fixedSet.variables[v]?.column as string] : [])))];
  const coding = resolveCoding(options.coding, factorColumns);
  const codingOf = (v: number): CategoricalCoding => coding.get(fixedSet.variables[v]?.column ?? '') ?? 'reference';
  const fixed = buildDesign(fixedSet, fixedVars, n, ' (fixed effects)', options.designStorage, codingOf);
  const p = fixed.names.length;
  if (n < p) {
    throw new GlmmInputError(`too few rows: ${n} rows used (${excluded.count} excluded) for ${p} fixed effects (${fixed.names.join(', ')})`);
  }
  const aliased = aliasedColumns(fixed.matrix, n, p);
  if (aliased.length > 0) {
    const names = aliased.map((j) => fixed.names[j]).join(', ');
    const full = [...coding].filter(([, c]) => c === 'full').map(([column]) => column);
    if (full.length > 0)
      throw new GlmmInputError(
        `fixed-effects design is rank deficient over the ${n} rows used: ${names} ${aliased.length === 1 ? 'is a linear combination' : 'are linear combinations'} of earlier columns, because full coding of ${full.map((c) => `"${c}"`).join(', ')} gives one column per level, which the intercept (or another fully coded factor) already spans; remove the intercept (0 + ...) or use reference or effects coding`,
      );
    throw new GlmmInputError(
      `fixed-effects design is rank deficient over the ${n} rows used: ${names} ${aliased.length === 1 ? 'is a linear combination' : 'are linear combinations'} of earlier columns; remove or recode ${aliased.length === 1 ? 'it' : 'them'}`,
    );
  }

  // Random-effects terms.
  const randomEncodings: RandomTermEncoding[] = [];
  const terms: RandomTerm[] = f.random.map((spec, k) => {
    const factor = interactionCodes(spec.factors.map((g) => ctx.factor(g, rows)));
    if (factor.levels.length < 2) {
      throw new GlmmInputError(
        `grouping variable "${spec.group}" has only ${factor.levels.length} level in the ${n} rows used (need at least 2)`,
      );
    }
    const lhsVars = (randomData[k] as (r: Int32Array) => VariableData[])(rows);
    const design = buildDesign(spec.lhs, lhsVars, n, ` (random effect of ${spec.group})`);
    if (design.names.length === 0) {
      throw new GlmmInputError(`random-effects term "(${spec.label})" has no columns; write (1 | ${spec.group}) or (x | ${spec.group})`);
    }
    // One column is the matrix itself: a random intercept's column is then the shared column of ones, as is
    // the model's unit weights, which estimators may recognise by identity.
    const columns = design.names.length === 1 ? [design.matrix] : design.names.map((_, c) => design.matrix.subarray(c * n, (c + 1) * n));
    randomEncodings.push({
      group: spec.group,
      spec: k,
      levels: factor.levels,
      variables: variableEncodings(spec.lhs, lhsVars),
      columnNames: design.names,
    });
    return {
      group: spec.group,
      levels: factor.levels,
      index: factor.codes,
      columns,
      columnNames: design.names,
      covariance: 'unstructured',
    };
  });
  // lme4 orders terms by decreasing number of levels; Array.prototype.sort is stable.
  const order = terms.map((t, i) => ({ t, i })).sort((a, b) => b.t.levels.length - a.t.levels.length || a.i - b.i);

  const model: ModelMatrices = {
    n,
    p,
    responseName: f.response.label,
    y,
    weights,
    trials,
    offset,
    X: fixed.matrix,
    fixedNames: fixed.names,
    terms: order.map((o) => o.t),
    usedRows: rows,
    excluded,
  };
  const encoding: ModelFrameEncoding = {
    formula: f.text,
    intercept: options.intercept !== false,
    categorical: [...(options.categorical ?? [])],
    ...(options.weights !== undefined ? { weights: options.weights } : {}),
    ...(options.offset !== undefined ? { offset: options.offset } : {}),
    coding: Object.fromEntries([...coding].filter(([, c]) => c !== 'reference')),
    exclude: exclude.rows,
    fixed: variableEncodings(fixedSet, fixedVars),
    fixedNames: fixed.names,
    fixedTerms: fixedTermEncodings(fixedSet, fixed.assign),
    random: order.map((o) => randomEncodings[o.i] as RandomTermEncoding),
  };
  return { model, encoding };
}
