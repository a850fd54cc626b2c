import { GlmmInputError, type ExclusionSummary } from '@glmm/core';
import { FrameBuilder } from './build-model.js';
import { isCategoricalColumn } from './categorical-column.js';
import { CellDictionary } from './cell-dictionary.js';
import { cellLevelText, formatRNumber, isMissingCell } from './cell.js';
import type { CategoricalCoding } from './coding.js';
import { ColumnContext } from './column-context.js';
import { zerosColumn } from './constant-columns.js';
import { toDataTable, type ColumnData, type DataInput } from './data-table.js';
import { buildDesign, type VariableData } from './design.js';
import { screenRows } from './exclusions.js';
import { parseFormula, type Formula, type TermSet } from './formula.js';
import type { ModelFrameEncoding, VariableEncoding } from './model-frame.js';

/** The design of new data under a fitted model's frame (what predict() multiplies by the estimates). */
export interface NewDataDesign {
  /** Rows of the input. */
  readonly nrows: number;
  /** Rows that can be predicted. */
  readonly n: number;
  /** Input rows (0-based) of the n predicted rows, ascending. */
  readonly usedRows: Int32Array;
  /** Rows that cannot be predicted (a missing or non-finite predictor) and why. */
  readonly excluded: ExclusionSummary;
  /** Fixed-effects design, column-major n x p, in the fit's columns. */
  readonly X: Float64Array;
  /** Offset of each row (0 without one). */
  readonly offset: Float64Array;
  /** Random-effects terms in the model's order; empty when they were not asked for. */
  readonly terms: readonly NewDataTerm[];
}

export interface NewDataTerm {
  readonly group: string;
  /** The fit's level index of each row, -1 where the level was not in the fit (or is missing). */
  readonly index: Int32Array;
  /** The term's value columns, each of length n. */
  readonly columns: readonly Float64Array[];
}

export interface NewDataOptions {
  /**
   * The random-effects terms to build: 'full' (level indices and value
   * columns, for conditional predictions), 'columns' (value columns only,
   * every index -1: no grouping column needed) or 'none'. Default 'full'.
   */
  readonly randomEffects?: 'full' | 'columns' | 'none';
}

/** Missing cell in a factor code array. */
const MISSING = -2;
/** A level the fit did not see. */
const UNSEEN = -1;

/**
 * Level codes of a column against a fitted factor's levels: each cell's
 * level text as the fit read it (numbers as R prints them), -1 where the
 * fit did not see it, -2 where the cell is missing.  Level texts are worked
 * out once per distinct value.
 */
function codesAgainst(col: ColumnData, levels: readonly string[]): Int32Array {
  const index = new Map<string, number>();
  levels.forEach((l, i) => index.set(l, i));
  const lookup = (text: string): number => index.get(text) ?? UNSEEN;
  if (col instanceof Float64Array) {
    const n = col.length;
    const out = new Int32Array(n);
    const byValue = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = col[i] as number;
      if (Number.isNaN(v)) {
        out[i] = MISSING;
        continue;
      }
      let code = byValue.get(v);
      if (code === undefined) {
        code = lookup(formatRNumber(v));
        byValue.set(v, code);
      }
      out[i] = code;
    }
    return out;
  }
  const dict = isCategoricalColumn(col) ? CellDictionary.ofCategorical(col) : CellDictionary.of(col);
  const byValue = Int32Array.from(dict.values, (cell) => (isMissingCell(cell) ? MISSING : lookup(cellLevelText(cell))));
  const codes = dict.codes;
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = byValue[codes[i] as number] as number;
  return out;
}

/** The text of a column's cell, for an error message. */
function cellText(col: ColumnData, row: number): string {
  if (col instanceof Float64Array) return formatRNumber(col[row] as number);
  if (isCategoricalColumn(col)) return col.levels[col.codes[row] as number] as string;
  return cellLevelText(col[row]);
}

function listLevels(levels: readonly string[]): string {
  const shown = levels.slice(0, 20).join(', ');
  return levels.length > 20 ? `${shown}, ... (${levels.length} in all)` : shown;
}

/** Codes of rows `rows` (all valid levels by then), as the design code reads them. */
function selectCodes(codes: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = codes[rows[i] as number] as number;
  return out;
}

function selectValues(values: Float64Array, rows: Int32Array): Float64Array {
  if (rows.length === values.length) return values;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i] as number] as number;
  return out;
}

/**
 * Registers the variables of a term set with the frame (numeric ones through
 * its checks, factors against the fit's levels) and returns how to
 * materialise them on the predicted rows.  A factor level the fit did not
 * see is an error naming column and level: no coefficient exists for it.
 */
function termSetVariables(
  frame: FrameBuilder,
  set: TermSet,
  encodings: readonly VariableEncoding[],
  role: string,
): (rows: Int32Array) => VariableData[] {
  const placeholder: VariableData = { kind: 'numeric', values: new Float64Array(0) };
  const makers = encodings.map((enc, v): ((rows: Int32Array) => VariableData) => {
    if (enc.kind === 'unused') return () => placeholder;
    if (enc.kind === 'numeric') {
      const src = frame.expression((set.variables[v] as TermSet['variables'][number]).expr, role);
      return (rows) => ({ kind: 'numeric', values: selectValues(src.values, rows) });
    }
    frame.categoricalColumn(enc.column, role);
    const col = frame.ctx.column(enc.column, role);
    const codes = codesAgainst(col, enc.levels);
    return (rows) => {
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as number;
        if (codes[r] === UNSEEN) {
          throw new GlmmInputError(
            `column "${enc.column}" has level "${cellText(col, r)}" at row ${r + 1} of the new data, which the model was not fitted with (levels: ${listLevels(enc.levels)}); there is no coefficient for it, so ${role} cannot be predicted there`,
          );
        }
      }
      return { kind: 'factor', factor: { levels: enc.levels, codes: selectCodes(codes, rows) } };
    };
  });
  return (rows) => makers.map((m) => m(rows));
}

/**
 * X, the offset and (optionally) the random-effects terms of new data under
 * a fitted model's frame encoding, with the fit's factor levels and codings:
 * R's model.frame/model.matrix with `xlev`, and lme4's predict with
 * allow.new.levels = TRUE for the grouping factors (a level the fit did not
 * see, or a missing one, gets index -1: its random effect is 0).  Rows with
 * a missing or non-finite predictor cannot be predicted and are reported as
 * excluded, the way the fit reports them.  The response is not needed.
 */
export function newDataDesign(encoding: ModelFrameEncoding, data: DataInput, options: NewDataOptions = {}): NewDataDesign {
  const f: Formula = parseFormula(encoding.formula);
  const table = toDataTable(data);
  const frame = new FrameBuilder(new ColumnContext(table, []));
  const fixedSet: TermSet = encoding.intercept ? f.fixed : { ...f.fixed, intercept: false };
  const fixedData = termSetVariables(frame, fixedSet, encoding.fixed, 'a fixed effect');
  const random = options.randomEffects ?? 'full';
  const randomParts = random !== 'none'
    ? encoding.random.map((enc) => {
        const spec = f.random[enc.spec];
        if (spec === undefined || spec.group !== enc.group) throw new Error(`model frame encoding does not match its formula at random term ${enc.spec}`);
        const lhs = termSetVariables(frame, spec.lhs, enc.variables, `a random effect of ${spec.group}`);
        const groupCodes = random === 'full' ? groupingCodes(frame.ctx, spec.factors, enc.levels, spec.group) : null;
        return { enc, spec, lhs, groupCodes };
      })
    : [];
  const offsets = [];
  if (encoding.offset !== undefined) offsets.push(frame.numericColumn(encoding.offset, 'offset'));
  for (const e of f.offsets) offsets.push(frame.expression(e, 'offset'));

  const { usedRows: rows, excluded } = screenRows(table.nrows, frame.checks);
  const n = rows.length;
  const fixedVars = fixedData(rows);
  const codingOf = (v: number): CategoricalCoding => encoding.coding[fixedSet.variables[v]?.column ?? ''] ?? 'reference';
  const fixed = buildDesign(fixedSet, fixedVars, n, ' (fixed effects)', undefined, codingOf);
  if (fixed.names.join('\u0000') !== encoding.fixedNames.join('\u0000'))
    throw new Error(`new data gave fixed-effect columns ${fixed.names.join(', ')}, the fit has ${encoding.fixedNames.join(', ')}`);
  // An intercept-only design is the shared column of ones: copy it, since the caller owns X.
  const X = fixed.matrix.length === n && fixed.names.length === 1 ? Float64Array.from(fixed.matrix) : fixed.matrix;

  let offset = zerosColumn(n);
  if (offsets.length > 0) {
    offset = new Float64Array(n);
    for (const src of offsets) for (let i = 0; i < n; i++) offset[i] = (offset[i] as number) + (src.values[rows[i] as number] as number);
  }

  const terms: NewDataTerm[] = randomParts.map(({ enc, spec, lhs, groupCodes }) => {
    const design = buildDesign(spec.lhs, lhs(rows), n, ` (random effect of ${spec.group})`);
    const columns = enc.columnNames.map((_, c) => design.matrix.slice(c * n, (c + 1) * n));
    const index = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const code = groupCodes ? (groupCodes[rows[i] as number] as number) : UNSEEN;
      index[i] = code >= 0 ? code : UNSEEN;
    }
    return { group: enc.group, index, columns };
  });
  return { nrows: table.nrows, n, usedRows: rows, excluded, X, offset, terms };
}

/**
 * The fit's level index of each row's grouping factor (an interaction a:b
 * when several columns), -1 where the combination was not in the fit and
 * -2 where a cell is missing.
 */
function groupingCodes(ctx: ColumnContext, factors: readonly string[], levels: readonly string[], group: string): Int32Array {
  const role = `the grouping factor ${group}`;
  if (factors.length === 1) return codesAgainst(ctx.column(factors[0] as string, role), levels);
  // An interaction: each column's own level texts, joined as the fit joined them.
  const columns = factors.map((name) => ctx.column(name, role));
  const n = ctx.table.nrows;
  const index = new Map<string, number>();
  levels.forEach((l, i) => index.set(l, i));
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let key = '';
    let missing = false;
    for (let j = 0; j < columns.length && !missing; j++) {
      const col = columns[j] as ColumnData;
      const cell = col instanceof Float64Array ? col[i] : isCategoricalColumn(col) ? col.levels[col.codes[i] as number] : col[i];
      if (isMissingCell(cell ?? null)) missing = true;
      else key += (j > 0 ? ':' : '') + (typeof cell === 'number' ? formatRNumber(cell) : cellLevelText(cell ?? null));
    }
    out[i] = missing ? MISSING : (index.get(key) ?? UNSEEN);
  }
  return out;
}
