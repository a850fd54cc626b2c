import type { Data, Table, Vector } from 'apache-arrow';
import { GlmmInputError } from '@glmm/core';
import {
  assertUniqueNames,
  categoricalColumn,
  categoricalFromUtf8,
  toDataTable,
  type CellValue,
  type ColumnData,
  type DataTable,
  type Utf8Chunk,
} from '@glmm/formula';

/** Arrow's type ids (apache-arrow's `Type` enum), the ones read here. */
const INT = 2;
const FLOAT = 3;
const UTF8 = 5;
const BOOL = 6;
const DECIMAL = 7;
const LARGE_UTF8 = 20;
const DICTIONARY = -1;

function isValid(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return true;
  const k = data.offset + i;
  return ((bitmap[k >> 3] as number) & (1 << (k & 7))) !== 0;
}

/** The chunk's values as a typed array of its own rows (a view, never a copy). */
function chunkValues(data: Data): ArrayLike<number | bigint> {
  const values = data.values as unknown as { subarray(a: number, b: number): ArrayLike<number | bigint> };
  return values.subarray(data.offset, data.offset + data.length);
}

/**
 * A numeric column: the chunk's own Float64Array when there is one chunk of
 * float64 without nulls (no copy: the values stay where the file put them),
 * else one Float64Array with NaN for nulls.
 */
function numericColumn(vector: Vector): Float64Array {
  const chunks = vector.data;
  const only = chunks[0];
  if (chunks.length === 1 && only !== undefined && only.nullCount === 0) {
    const values = chunkValues(only);
    if (values instanceof Float64Array) return values;
  }
  const out = new Float64Array(vector.length);
  let row = 0;
  for (const data of chunks) {
    const values = chunkValues(data);
    const bigint = values instanceof BigInt64Array || values instanceof BigUint64Array;
    for (let i = 0; i < data.length; i++, row++) {
      if (!isValid(data, i)) out[row] = Number.NaN;
      else out[row] = bigint ? Number(values[i]) : (values[i] as number);
    }
  }
  return out;
}

function utf8Column(vector: Vector): ColumnData {
  const chunks: Utf8Chunk[] = vector.data.map((data) => {
    const raw = data.valueOffsets as unknown as ArrayLike<number | bigint>;
    // LargeUtf8 has 64-bit offsets.
    const offsets = raw instanceof BigInt64Array ? Float64Array.from(raw, Number) : (raw as ArrayLike<number>);
    const from = data.offset;
    return {
      bytes: data.values as unknown as Uint8Array,
      offsets: from === 0 ? offsets : Array.prototype.slice.call(offsets, from, from + data.length + 1),
      length: data.length,
      ...(data.nullCount > 0 ? { isNull: (i: number) => !isValid(data, i) } : {}),
    };
  });
  return categoricalFromUtf8(chunks);
}

/**
 * A dictionary-encoded text column: the dictionary's texts become the levels
 * and the indices the codes, as they are when there is one chunk of int32
 * indices without nulls over a dictionary without repeats.
 */
function dictionaryColumn(vector: Vector, name: string): ColumnData {
  const chunks = vector.data;
  const first = chunks[0];
  if (first === undefined) return categoricalColumn(new Int32Array(0), []);
  const dictionary = first.dictionary;
  if (dictionary === undefined || chunks.some((d) => d.dictionary !== dictionary)) return cellsColumn(vector, name);
  const texts = Array.from(dictionary.toArray() as ArrayLike<unknown>, (v) => (v === null || v === undefined ? 'NA' : String(v)));
  const levels: string[] = [];
  const index = new Map<string, number>();
  const remap = new Int32Array(texts.length);
  let repeats = false;
  texts.forEach((t, k) => {
    let c = index.get(t);
    if (c === undefined) {
      c = levels.length;
      index.set(t, c);
      levels.push(t);
    } else repeats = true;
    remap[k] = c;
  });
  if (chunks.length === 1 && first.nullCount === 0 && !repeats) {
    const indices = chunkValues(first);
    if (indices instanceof Int32Array) return categoricalColumn(indices, levels);
  }
  let na = index.get('NA');
  const codes = new Int32Array(vector.length);
  let row = 0;
  for (const data of chunks) {
    const indices = chunkValues(data);
    for (let i = 0; i < data.length; i++, row++) {
      if (isValid(data, i)) codes[row] = remap[Number(indices[i])] as number;
      else {
        if (na === undefined) {
          na = levels.length;
          levels.push('NA');
        }
        codes[row] = na;
      }
    }
  }
  return categoricalColumn(codes, levels);
}

/** Any other type, row by row: booleans stay logical, dates and times become numbers (ms), the rest text. */
function cellsColumn(vector: Vector, name: string): ColumnData {
  const cells = new Array<CellValue>(vector.length);
  for (let i = 0; i < vector.length; i++) cells[i] = cellOf(vector.get(i), name);
  return cells;
}

function cellOf(v: unknown, name: string): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'object' && v !== null && Symbol.iterator in v && !(typeof (v as { toJSON?: unknown }).toJSON === 'function')) {
    throw new GlmmInputError(`column "${name}" holds lists or binary values, which cannot be a model column; leave it out of the file`);
  }
  return JSON.stringify(v);
}

function arrowColumn(vector: Vector, name: string): ColumnData {
  switch (vector.type.typeId as number) {
    case FLOAT:
    case INT:
      return numericColumn(vector);
    case DECIMAL:
      return cellsColumn(vector, name);
    case UTF8:
    case LARGE_UTF8:
      return utf8Column(vector);
    case DICTIONARY:
      return dictionaryColumn(vector, name);
    case BOOL:
    default:
      return cellsColumn(vector, name);
  }
}

/**
 * An apache-arrow Table as a DataTable. Columns are read in place where the
 * type allows: a float64 column without nulls is the file's own memory, and
 * dictionary-encoded text keeps its int32 indices as codes; other numeric
 * types become Float64Array (nulls NaN), text becomes categorical columns
 * (a string per distinct value, none per row).
 */
export function tableFromArrow(table: Table): DataTable {
  const names = table.schema.fields.map((f) => f.name);
  assertUniqueNames(names);
  const columns: Record<string, ColumnData> = {};
  names.forEach((name, j) => {
    const vector = table.getChildAt(j);
    columns[name] = vector === null ? [] : arrowColumn(vector, name);
  });
  return toDataTable({ names, nrows: table.numRows, columns });
}

/** Arrow IPC bytes (file or stream format) as a DataTable; apache-arrow is loaded on first use. */
export async function tableFromArrowIpc(bytes: Uint8Array, source = 'data'): Promise<DataTable> {
  const { tableFromIPC } = await import('apache-arrow');
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new GlmmInputError(`${source} could not be read as Arrow IPC: ${shortMessage(err)}`);
  }
  return tableFromArrow(table);
}

export function shortMessage(err: unknown): string {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return msg.length > 160 ? `${msg.slice(0, 160)}...` : msg;
}
