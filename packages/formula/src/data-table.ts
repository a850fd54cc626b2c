import { GlmmInputError } from '@glmm/core';
import { isCategoricalColumn, type CategoricalColumn } from './categorical-column.js';

export type CellValue = string | number | boolean | null | undefined;
export type ColumnData = Float64Array | readonly CellValue[] | CategoricalColumn;

/**
 * A column table: numeric columns as Float64Array (NaN = missing), other
 * columns as arrays of cells or as categorical columns (what the CSV reader
 * gives for text).
 */
export interface DataTable {
  readonly names: readonly string[];
  readonly nrows: number;
  readonly columns: Readonly<Record<string, ColumnData>>;
}

/** Accepts records (array of objects), named columns (object of arrays/Float64Arrays) or a DataTable. */
export type DataInput = DataTable | readonly Record<string, CellValue>[] | Readonly<Record<string, ColumnData>>;

function isDataTable(data: DataInput): data is DataTable {
  const d = data as Partial<DataTable>;
  return (
    !Array.isArray(data) &&
    Array.isArray(d.names) &&
    typeof d.nrows === 'number' &&
    typeof d.columns === 'object' &&
    d.columns !== null &&
    !Array.isArray(d.columns) &&
    !(d.columns instanceof Float64Array)
  );
}

/** Number of rows of a column. */
export function columnLength(col: ColumnData): number {
  return isCategoricalColumn(col) ? col.codes.length : col.length;
}

/** A cell array whose cells are all numbers or missing becomes a Float64Array (null -> NaN). */
function packColumn(cells: readonly CellValue[]): ColumnData {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c !== null && c !== undefined && typeof c !== 'number') return cells;
  }
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    out[i] = typeof c === 'number' ? c : Number.NaN;
  }
  return out;
}

function fromRecords(records: readonly Record<string, CellValue>[]): DataTable {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const rec of records) {
    for (const key of Object.keys(rec)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  const columns: Record<string, ColumnData> = {};
  for (const name of names) {
    const cells = new Array<CellValue>(records.length);
    for (let i = 0; i < records.length; i++) cells[i] = (records[i] as Record<string, CellValue>)[name];
    columns[name] = packColumn(cells);
  }
  return { names, nrows: records.length, columns };
}

function fromColumns(data: Readonly<Record<string, ColumnData>>): DataTable {
  const names = Object.keys(data);
  const columns: Record<string, ColumnData> = {};
  let nrows = -1;
  let firstName = '';
  for (const name of names) {
    const col = data[name];
    const categorical = isCategoricalColumn(col);
    if (!(col instanceof Float64Array) && !Array.isArray(col) && !categorical) {
      throw new GlmmInputError(`column "${name}" is not an array (got ${typeof col}); give each column as an array or Float64Array`);
    }
    const length = columnLength(col);
    if (nrows < 0) {
      nrows = length;
      firstName = name;
    } else if (length !== nrows) {
      throw new GlmmInputError(
        `column "${name}" has ${length} rows but column "${firstName}" has ${nrows}; all columns must have the same length`,
      );
    }
    columns[name] = col instanceof Float64Array || categorical ? col : packColumn(col as readonly CellValue[]);
  }
  return { names, nrows: Math.max(nrows, 0), columns };
}

/** Normalises any accepted data shape into a DataTable (no copy of Float64Array or categorical columns). */
export function toDataTable(data: DataInput): DataTable {
  if (data === null || typeof data !== 'object') {
    throw new GlmmInputError(`data must be an array of records, an object of columns or a DataTable (got ${data === null ? 'null' : typeof data})`);
  }
  if (Array.isArray(data)) return fromRecords(data as readonly Record<string, CellValue>[]);
  if (isDataTable(data)) {
    for (const name of data.names) {
      const col = data.columns[name];
      if (col === undefined) throw new GlmmInputError(`data table lists column "${name}" but has no data for it`);
      if (columnLength(col) !== data.nrows) {
        throw new GlmmInputError(`column "${name}" has ${columnLength(col)} rows but the table has ${data.nrows}`);
      }
    }
    return data;
  }
  return fromColumns(data as Readonly<Record<string, ColumnData>>);
}
