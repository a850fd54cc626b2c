import { isCategoricalColumn, type DataTable } from '@glmm/formula';

/** A number as CSV text: the shortest round-trip form; NA where missing, as R and pandas read it. */
export function csvNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? 'NA' : x > 0 ? 'Inf' : '-Inf';
}

/** A text cell, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvText(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The cell of row i of a table column as CSV text. */
export function csvCell(table: DataTable, name: string, i: number): string {
  const col = table.columns[name]!;
  if (col instanceof Float64Array) return csvNumber(col[i]!);
  if (isCategoricalColumn(col)) return csvText(col.levels[col.codes[i]!]!);
  const c = col[i];
  if (c === null || c === undefined) return 'NA';
  return typeof c === 'number' ? csvNumber(c) : csvText(String(c));
}
