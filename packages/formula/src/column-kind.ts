import { CELL_NON_NUMERIC, cellStatus, CELL_MISSING } from './cell.js';
import type { ColumnData } from './data-table.js';

export type ColumnKind = 'numeric' | 'categorical';

/**
 * A Float64Array is numeric. A cell array is numeric when every non-missing
 * cell is a number (or numeric text), or when more than half are: the rest
 * are then bad values. Booleans count as text, so a logical column is categorical.
 */
export function columnKind(col: ColumnData): ColumnKind {
  if (col instanceof Float64Array) return 'numeric';
  let numeric = 0;
  let text = 0;
  for (let i = 0; i < col.length; i++) {
    const s = cellStatus(col[i]);
    if (s === CELL_MISSING) continue;
    if (s === CELL_NON_NUMERIC) text++;
    else numeric++;
  }
  if (text === 0) return 'numeric';
  return numeric > text ? 'numeric' : 'categorical';
}

/** True when every non-missing cell is a boolean or the text TRUE/FALSE (R's logical). */
export function isLogicalColumn(col: ColumnData): boolean {
  if (col instanceof Float64Array) return false;
  let any = false;
  for (let i = 0; i < col.length; i++) {
    const c = col[i];
    if (cellStatus(c) === CELL_MISSING) continue;
    if (typeof c === 'boolean' || c === 'TRUE' || c === 'FALSE' || c === 'true' || c === 'false') any = true;
    else return false;
  }
  return any;
}

/** First non-numeric cell of a column, for error messages. */
export function firstTextCell(col: ColumnData): string | undefined {
  if (col instanceof Float64Array) return undefined;
  for (let i = 0; i < col.length; i++) if (cellStatus(col[i]) === CELL_NON_NUMERIC) return String(col[i]);
  return undefined;
}
