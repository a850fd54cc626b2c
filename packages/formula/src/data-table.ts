import { GlmmInputError } from '@glmm/core';
import { isCategoricalColumn, type CategoricalColumn } from './categorical-column.js';
import { assertUniqueNames } from './column-names.js';

export type CellValue = string | number | boolean | null | undefined;
export type ColumnData = Float64Array | readonly CellValue[] | CategoricalColumn;

/** Typed arrays accepted as numeric columns; all but Float64Array are converted to one (BigInt values by Number()). */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** A column as a caller may give it. */
export type ColumnInput = ColumnData | NumericArray;

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

/** Accepts records (array of objects), named columns (object of arrays or typed arrays) or a DataTable. */
export type DataInput = DataTable | readonly Record<string, CellValue>[] | Readonly<Record<string, ColumnInput>>;

function isDataTable(data: DataInput): data is DataTable {
  const d = data as Partial<DataTable>;
  return (
    !Array.isArray(data) &&
    Array.isArray(d.names) &&
    typeof d.nrows === 'number' &&
    typeof d.columns === 'object' &&
    d.columns !== null &&
    !Array.isArray(d.columns) &&
    !ArrayBuffer.isView(d.columns)
  );
}

/** Number of rows of a column. */
export function columnLength(col: ColumnInput): number {
  return isCategoricalColumn(col) ? col.codes.length : col.length;
}

/** A typed array other than a DataView: a numeric column. */
export function isNumericArray(col: unknown): col is NumericArray {
  return ArrayBuffer.isView(col) && !(col instanceof DataView);
}

/** A numeric column as the Float64Array the model frame reads: the same array when it is one. */
export function toFloat64(col: NumericArray): Float64Array {
  if (col instanceof Float64Array) return col;
  if (col instanceof BigInt64Array || col instanceof BigUint64Array) {
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = Number(col[i]);
    return out;
  }
  return new Float64Array(col);
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

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return v instanceof DataView ? 'a DataView' : `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
}

function fromColumns(data: Readonly<Record<string, ColumnInput>>): DataTable {
  const names = Object.keys(data);
  const columns: Record<string, ColumnData> = {};
  let nrows = -1;
  let firstName = '';
  for (const name of names) {
    const col = data[name];
    const categorical = isCategoricalColumn(col);
    if (!isNumericArray(col) && !Array.isArray(col) && !categorical) {
      throw new GlmmInputError(
        `column "${name}" is not an array (got ${describeValue(col)}); give each column as an array, a typed array such as Float64Array, or a categorical column`,
      );
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
    columns[name] = categorical ? col : isNumericArray(col) ? toFloat64(col) : packColumn(col as readonly CellValue[]);
  }
  return { names, nrows: Math.max(nrows, 0), columns };
}

/**
 * A DataTable as given, checked: unique names, every column present and of
 * the table's length. Typed columns other than Float64Array are converted,
 * in a new table object (the caller's is left as it is).
 */
function checkedTable(data: DataTable): DataTable {
  assertUniqueNames(data.names);
  let converted: Record<string, ColumnData> | undefined;
  for (const name of data.names) {
    const col = data.columns[name] as ColumnInput | undefined;
    if (col === undefined) throw new GlmmInputError(`data table lists column "${name}" but has no data for it`);
    if (!isNumericArray(col) && !Array.isArray(col) && !isCategoricalColumn(col)) {
      throw new GlmmInputError(`column "${name}" is not an array (got ${describeValue(col)})`);
    }
    if (columnLength(col) !== data.nrows) {
      throw new GlmmInputError(`column "${name}" has ${columnLength(col)} rows but the table has ${data.nrows}`);
    }
    if (isNumericArray(col) && !(col instanceof Float64Array)) {
      converted ??= { ...data.columns };
      converted[name] = toFloat64(col);
    }
  }
  return converted === undefined ? data : { names: data.names, nrows: data.nrows, columns: converted };
}

/** Normalises any accepted data shape into a DataTable (no copy of Float64Array or categorical columns; other typed arrays are converted). */
export function toDataTable(data: DataInput): DataTable {
  if (data === null || typeof data !== 'object') {
    throw new GlmmInputError(`data must be an array of records, an object of columns or a DataTable (got ${data === null ? 'null' : typeof data})`);
  }
  if (Array.isArray(data)) return fromRecords(data as readonly Record<string, CellValue>[]);
  if (isDataTable(data)) return checkedTable(data);
  return fromColumns(data as Readonly<Record<string, ColumnInput>>);
}
