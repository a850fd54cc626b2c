import { GlmmInputError } from '@glmm/core';
import { uniqueColumnNames } from './column-names.js';
import { delimiterFromOption, detectDelimiter } from './csv-delimiter.js';
import { scanCsvBytes, type ScannedCsv } from './csv-scanner.js';
import type { ColumnData, DataTable } from './data-table.js';
import { nonTextReason } from './text-check.js';

export interface CsvOptions {
  /** One ASCII character (or a name: tab, comma, semicolon, pipe); guessed from the first lines when absent (see detectDelimiter). */
  readonly delimiter?: string;
}

const LF = 10;
const CR = 13;

/** The bytes of `text` (UTF-8), or `bytes` as given. */
function asBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** Throws the short reason when the bytes are not text (a binary file handed to the CSV reader). */
export function assertText(bytes: Uint8Array, what = 'data'): void {
  const reason = nonTextReason(bytes);
  if (reason !== undefined) throw new GlmmInputError(`${what} is not CSV text: ${reason}`);
}

/** The bytes ending with a line end, so the scanner never reads past them; a copy only when the last one is missing. */
function withFinalLineEnd(bytes: Uint8Array): Uint8Array {
  const last = bytes[bytes.length - 1];
  if (last === LF || last === CR) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = LF;
  return out;
}

/**
 * The scanner alone (see scanCsvBytes): header and columns, undefined when
 * there is no header at all; GlmmInputError for malformed text.
 */
export function scanCsv(input: string | Uint8Array, delimiter = ','): ScannedCsv | undefined {
  const bytes = asBytes(input);
  const data = withFinalLineEnd(bytes);
  return scanCsvBytes(data, bomLength(bytes), data.length, delimiterFromOption(delimiter).charCodeAt(0));
}

/**
 * Parses delimited text with a header row, given as a string or as its UTF-8
 * bytes (what a file read gives, which is read without decoding it first);
 * numeric columns come back as Float64Array, text columns as categorical
 * columns. The delimiter is guessed unless given. Malformed text (a quote
 * inside an unquoted field, an unclosed quote, a record with another number
 * of fields than the header) is a GlmmInputError naming the line.
 */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): DataTable {
  const bytes = asBytes(input);
  assertText(bytes);
  const delimiter = options.delimiter === undefined ? detectDelimiter(bytes, bomLength(bytes)) : delimiterFromOption(options.delimiter);
  const scanned = scanCsv(bytes, delimiter);
  if (scanned === undefined) throw new GlmmInputError('CSV is empty: a header row is required');
  const names = uniqueColumnNames(scanned.header);
  const columns: Record<string, ColumnData> = {};
  for (let j = 0; j < names.length; j++) columns[names[j] as string] = scanned.columns[j] as ColumnData;
  return { names, nrows: scanned.nrows, columns };
}
