import { CELL_MISSING, CELL_NON_NUMERIC } from './cell.js';
import type { CellDictionary } from './cell-dictionary.js';

export type ColumnKind = 'numeric' | 'categorical';

/**
 * A Float64Array is numeric. A cell array is numeric when every non-missing
 * cell is a number (or numeric text), or when more than half are: the rest
 * are then bad values. Booleans count as text, so a logical column is categorical.
 */
export function columnKind(col: Float64Array | CellDictionary): ColumnKind {
  if (col instanceof Float64Array) return 'numeric';
  const status = col.statuses();
  let anyText = false;
  let anyNumber = false;
  for (let k = 0; k < status.length; k++) {
    const s = status[k];
    if (s === CELL_NON_NUMERIC) anyText = true;
    else if (s !== CELL_MISSING) anyNumber = true;
  }
  if (!anyText) return 'numeric';
  if (!anyNumber) return 'categorical';
  // Mixed: the counts are over rows, not distinct values.
  let numeric = 0;
  let text = 0;
  const codes = col.codes;
  for (let i = 0; i < codes.length; i++) {
    const s = status[codes[i] as number];
    if (s === CELL_MISSING) continue;
    if (s === CELL_NON_NUMERIC) text++;
    else numeric++;
  }
  return numeric > text ? 'numeric' : 'categorical';
}

/** True when every non-missing cell is a boolean or the text TRUE/FALSE (R's logical). */
export function isLogicalColumn(col: Float64Array | CellDictionary): boolean {
  if (col instanceof Float64Array) return false;
  const status = col.statuses();
  let any = false;
  for (let k = 0; k < col.values.length; k++) {
    if (status[k] === CELL_MISSING) continue;
    const c = col.values[k];
    if (typeof c === 'boolean' || c === 'TRUE' || c === 'FALSE' || c === 'true' || c === 'false') any = true;
    else return false;
  }
  return any;
}

/** First non-numeric cell of a column, for error messages. */
export function firstTextCell(col: Float64Array | CellDictionary): string | undefined {
  if (col instanceof Float64Array) return undefined;
  // The values of a categorical column come in any order: the first text cell is the first row holding one.
  const status = col.statuses();
  const text = Uint8Array.from(status, (s) => (s === CELL_NON_NUMERIC ? 1 : 0));
  const row = col.nextFlagged(text, 0);
  return row < 0 ? undefined : String(col.values[col.codes[row] as number]);
}
