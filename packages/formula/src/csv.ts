import { parse } from 'csv-parse/sync';
import { GlmmInputError } from '@glmm/core';
import { categoricalColumn } from './categorical-column.js';
import { parseNumericText } from './cell.js';
import { uniqueColumnNames } from './column-names.js';
import { detectDelimiter } from './csv-delimiter.js';
import { scanCsvBytes, type ScannedCsv } from './csv-scanner.js';
import type { ColumnData, DataTable } from './data-table.js';
import { nonTextReason } from './text-check.js';

export interface CsvOptions {
  /** One ASCII character; guessed from the first lines when absent (see detectDelimiter). */
  readonly delimiter?: string;
}

const LF = 10;
const CR = 13;

/**
 * Builds one column: straight into a Float64Array while every cell is numeric
 * text, falling back to a categorical column of the raw strings once a
 * non-numeric cell appears.
 */
function buildColumn(records: readonly string[][], j: number): ColumnData {
  const n = records.length - 1;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = parseNumericText((records[i + 1] as string[])[j] as string);
    if (v === undefined) return textColumn(records, j);
    values[i] = v;
  }
  return values;
}

/** Column j as text: levels in order of first appearance, as the fast reader lists them. */
function textColumn(records: readonly string[][], j: number): ColumnData {
  const n = records.length - 1;
  const codes = new Int32Array(n);
  const levels: string[] = [];
  const index = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const cell = (records[r + 1] as string[])[j] as string;
    let k = index.get(cell);
    if (k === undefined) {
      k = levels.length;
      index.set(cell, k);
      levels.push(cell);
    }
    codes[r] = k;
  }
  return categoricalColumn(codes, levels);
}

function table(header: readonly string[], nrows: number, cols: readonly ColumnData[]): DataTable {
  const names = uniqueColumnNames(header);
  const columns: Record<string, ColumnData> = {};
  for (let j = 0; j < names.length; j++) columns[names[j] as string] = cols[j] as ColumnData;
  return { names, nrows, columns };
}

/** The bytes of `text` (UTF-8), or `bytes` as given. */
function asBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** Throws the short reason when the bytes are not text (a binary file handed to the CSV reader). */
export function assertText(bytes: Uint8Array, what = 'data'): void {
  const reason = nonTextReason(bytes);
  if (reason !== undefined) throw new GlmmInputError(`${what} is not CSV text: ${reason}`);
}

/**
 * Parses delimited text with a header row, given as a string or as its UTF-8
 * bytes (what a file read gives, which is read without decoding it first);
 * numeric columns come back as Float64Array, text columns as categorical
 * columns. The delimiter is guessed unless given.
 */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): DataTable {
  const bytes = asBytes(input);
  assertText(bytes);
  const delimiter = options.delimiter ?? detectDelimiter(bytes, bomLength(bytes));
  const scanned = scanCsv(bytes, delimiter);
  if (scanned !== undefined) return table(scanned.header, scanned.nrows, scanned.columns);
  return parseCsvGeneral(typeof input === 'string' ? input : new TextDecoder().decode(bytes), { delimiter });
}

function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** The one-pass reader alone (see scanCsvBytes): undefined where the general parser has to decide. */
export function scanCsv(input: string | Uint8Array, delimiter = ','): ScannedCsv | undefined {
  const bytes = asBytes(input);
  // csv-parse takes the first line end it meets as the record delimiter for the
  // whole text; the scanner requires all line ends to be CRLF when any CR occurs.
  const start = bomLength(bytes);
  const crlf = bytes.indexOf(CR, start) >= 0;
  const data = withFinalLineEnd(bytes, crlf);
  return scanCsvBytes(data, start, data.length, delimiter.charCodeAt(0), crlf);
}

/** The bytes ending with a line end, so the scanner never reads past them; a copy only when the last one is missing. */
function withFinalLineEnd(bytes: Uint8Array, crlf: boolean): Uint8Array {
  const n = bytes.length;
  if (crlf ? bytes[n - 2] === CR && bytes[n - 1] === LF : bytes[n - 1] === LF) return bytes;
  const out = new Uint8Array(n + (crlf ? 2 : 1));
  out.set(bytes);
  if (crlf) out[n] = CR;
  out[out.length - 1] = LF;
  return out;
}

/** Error text from csv-parse, one line and not too long (it may quote a whole field). */
function parseErrorText(err: unknown): string {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return msg.length > 200 ? `${msg.slice(0, 200)}...` : msg;
}

/** parseCsv through csv-parse: any CSV it accepts, and its error messages. */
export function parseCsvGeneral(text: string, options: CsvOptions = {}): DataTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, delimiter: options.delimiter ?? ',' }) as string[][];
  } catch (err) {
    throw new GlmmInputError(`CSV could not be parsed: ${parseErrorText(err)}`);
  }
  if (records.length === 0) throw new GlmmInputError('CSV is empty: a header row is required');
  const header = records[0] as string[];
  const columns: ColumnData[] = [];
  for (let j = 0; j < header.length; j++) columns.push(buildColumn(records, j));
  return table(header, records.length - 1, columns);
}
