import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { GlmmInputError } from '@glmm/core';
import { assertUniqueNames, categoricalColumn, toDataTable, type CellValue, type ColumnData, type DataTable } from '@glmm/formula';
import { shortMessage } from './arrow-table.js';

/** One decoded run of a column: rows [rowStart, rowStart + values.length). */
interface Chunk {
  readonly rowStart: number;
  readonly values: ArrayLike<unknown>;
}

/** Decompressors hyparquet does not carry itself; snappy (the common default) it does. */
const COMPRESSORS = {
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
};

function isNumericTyped(values: ArrayLike<unknown>): boolean {
  return ArrayBuffer.isView(values) && !(values instanceof DataView);
}

type Kind = 'numeric' | 'text' | 'cells';

/** What a column holds, from its decoded values: numbers (and dates), text, or anything else. */
function kindOf(chunks: readonly Chunk[]): Kind {
  let text = false;
  for (const { values } of chunks) {
    if (isNumericTyped(values)) continue;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || typeof v === 'number' || typeof v === 'bigint' || v instanceof Date) continue;
      if (typeof v === 'string') text = true;
      else return 'cells';
    }
  }
  return text ? 'text' : 'numeric';
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  return Number.NaN;
}

function numericColumn(chunks: readonly Chunk[], nrows: number): Float64Array {
  const only = chunks[0];
  // One run of doubles covering the column: used as it is.
  if (chunks.length === 1 && only !== undefined && only.values instanceof Float64Array && only.values.length === nrows) return only.values;
  const out = new Float64Array(nrows).fill(Number.NaN);
  for (const { rowStart, values } of chunks) {
    if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint32Array) {
      out.set(values, rowStart);
      continue;
    }
    for (let i = 0; i < values.length; i++) out[rowStart + i] = toNumber(values[i]);
  }
  return out;
}

/** Text as a categorical column: hyparquet hands dictionary-encoded pages as shared strings, so the map sees each distinct one fast. */
function textColumn(chunks: readonly Chunk[], nrows: number): ColumnData {
  const codes = new Int32Array(nrows);
  const levels: string[] = [];
  const index = new Map<string, number>();
  const code = (t: string): number => {
    let k = index.get(t);
    if (k === undefined) {
      k = levels.length;
      index.set(t, k);
      levels.push(t);
    }
    return k;
  };
  // Rows no chunk covers, and nulls, are missing.
  const na = nrows > 0 && chunks.reduce((n, c) => n + c.values.length, 0) < nrows ? code('NA') : -1;
  if (na >= 0) codes.fill(na);
  for (const { rowStart, values } of chunks) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      codes[rowStart + i] = typeof v === 'string' ? code(v) : code(v === null || v === undefined ? 'NA' : String(v));
    }
  }
  return categoricalColumn(codes, levels);
}

function cellsColumn(chunks: readonly Chunk[], nrows: number, name: string): ColumnData {
  const cells = new Array<CellValue>(nrows).fill(null);
  for (const { rowStart, values } of chunks) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') cells[rowStart + i] = v ?? null;
      else if (typeof v === 'bigint' || v instanceof Date) cells[rowStart + i] = toNumber(v);
      else if (v instanceof Uint8Array || Array.isArray(v)) {
        throw new GlmmInputError(`column "${name}" holds lists or binary values, which cannot be a model column; leave it out of the file`);
      } else cells[rowStart + i] = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
    }
  }
  return cells;
}

/**
 * Parquet bytes as a DataTable, through hyparquet (loaded on first use).
 * Columns come back column-wise from each row group and are joined into
 * Float64Arrays and categorical columns; a double column held in one run is
 * used as decoded, without a copy.
 */
export async function tableFromParquet(bytes: Uint8Array, source = 'data'): Promise<DataTable> {
  const { parquetMetadataAsync, parquetRead, parquetSchema } = await import('hyparquet');
  // hyparquet reads ranges of an ArrayBuffer-like file; slices of the bytes give them without copying the whole file first.
  const file = {
    byteLength: bytes.byteLength,
    slice: (start: number, end?: number): ArrayBuffer => {
      const s = bytes.subarray(start, end);
      return s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer;
    },
  };
  try {
    const metadata = await parquetMetadataAsync(file);
    const nrows = Number(metadata.num_rows);
    const names = parquetSchema(metadata).children.map((c) => c.element.name);
    assertUniqueNames(names);
    const chunks = new Map<string, Chunk[]>(names.map((n) => [n, []]));
    await parquetRead({
      file,
      metadata,
      compressors: COMPRESSORS,
      onChunk: ({ columnName, columnData, rowStart }) => {
        chunks.get(columnName)?.push({ rowStart, values: columnData as ArrayLike<unknown> });
      },
    });
    const columns: Record<string, ColumnData> = {};
    for (const name of names) {
      const c = chunks.get(name) as Chunk[];
      const kind = kindOf(c);
      columns[name] = kind === 'numeric' ? numericColumn(c, nrows) : kind === 'text' ? textColumn(c, nrows) : cellsColumn(c, nrows, name);
    }
    return toDataTable({ names, nrows, columns });
  } catch (err) {
    if (err instanceof GlmmInputError) throw err;
    const msg = shortMessage(err);
    const codec = /unsupported compression codec: (\w+)/.exec(msg)?.[1];
    if (codec !== undefined) {
      throw new GlmmInputError(`${source} is a Parquet file compressed with ${codec}, which this reader cannot decompress; write it with snappy, gzip or no compression`);
    }
    throw new GlmmInputError(`${source} could not be read as Parquet: ${msg}`);
  }
}
