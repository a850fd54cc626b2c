import { categoricalColumn, isCategoricalColumn } from './categorical-column.js';
import { CellDictionary } from './cell-dictionary.js';
import { cellLevelText, isMissingCell } from './cell.js';
import { toDataTable, type ColumnData, type DataInput, type DataTable } from './data-table.js';
import { exprColumns } from './expr.js';
import { parseFormula, type TermSet } from './formula.js';
import type { ModelFrameEncoding, VariableEncoding } from './model-frame.js';

function variableColumns(set: TermSet, encodings: readonly VariableEncoding[], out: Set<string>): void {
  encodings.forEach((enc, v) => {
    if (enc.kind === 'factor') out.add(enc.column);
    else if (enc.kind === 'numeric') for (const c of exprColumns((set.variables[v] as TermSet['variables'][number]).expr)) out.add(c);
  });
}

/**
 * The data columns a fitted frame needs to build X, Z and the offset again
 * (newDataDesign): predictors, grouping factors and offsets, not the
 * response or the weights.
 */
export function designColumnNames(encoding: ModelFrameEncoding): string[] {
  const f = parseFormula(encoding.formula);
  const out = new Set<string>();
  variableColumns(encoding.intercept ? f.fixed : { ...f.fixed, intercept: false }, encoding.fixed, out);
  for (const r of encoding.random) {
    const spec = f.random[r.spec];
    if (!spec) continue;
    variableColumns(spec.lhs, r.variables, out);
    for (const g of spec.factors) out.add(g);
  }
  if (encoding.offset !== undefined) out.add(encoding.offset);
  for (const e of f.offsets) for (const c of exprColumns(e)) out.add(c);
  return [...out];
}

/**
 * Those columns on the given rows: numeric columns as numbers, the others
 * as categorical columns of their level texts (what the frame read from
 * them), so that the same design can be built from a saved model without
 * the data.  Missing cells stay missing ("NA").
 */
export function designColumns(encoding: ModelFrameEncoding, data: DataInput, rows: Int32Array): DataTable {
  const table = toDataTable(data);
  const names = designColumnNames(encoding);
  const columns: Record<string, ColumnData> = {};
  for (const name of names) {
    const col = table.columns[name];
    if (col === undefined) throw new Error(`design column "${name}" is not in the data`);
    columns[name] = selectColumn(col, rows);
  }
  return { names, nrows: rows.length, columns };
}

function selectColumn(col: ColumnData, rows: Int32Array): ColumnData {
  if (col instanceof Float64Array) {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = col[rows[i] as number] as number;
    return out;
  }
  const dict = isCategoricalColumn(col) ? CellDictionary.ofCategorical(col) : CellDictionary.of(col);
  const texts = dict.values.map((c) => (isMissingCell(c) ? 'NA' : cellLevelText(c)));
  const levels: string[] = [];
  const byText = new Map<string, number>();
  const code = Int32Array.from(texts, (t) => {
    let k = byText.get(t);
    if (k === undefined) {
      k = levels.length;
      byText.set(t, k);
      levels.push(t);
    }
    return k;
  });
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) codes[i] = code[dict.codes[rows[i] as number] as number] as number;
  return categoricalColumn(codes, levels);
}
