import { GlmmInputError } from '@glmm/core';
import { assertText, parseCsv, type DataTable } from '@glmm/formula';
import { tableFromArrowIpc } from './arrow-table.js';
import { delimiterFromPath, resolveFormat, type DataFormat } from './data-format.js';
import { describeSource, isBlank, readFileBytes, readStdinBytes } from './file-bytes.js';
import { tableFromParquet } from './parquet-table.js';

export interface ReadDataOptions {
  /** Read as this format; by default the file's first bytes decide, then its extension, else CSV. */
  readonly format?: DataFormat;
  /** Delimiter of delimited text; by default a tab for .tsv/.tab files and guessed from the data otherwise. */
  readonly delimiter?: string;
}

function assertNotEmpty(bytes: Uint8Array, source: string): void {
  if (isBlank(bytes)) throw new GlmmInputError(`${source} is empty (0 rows): expected a header row and at least one data row`);
}

/** Delimited text bytes as a DataTable, with the source named in the messages about it. */
function csvTable(bytes: Uint8Array, source: string, delimiter: string | undefined): DataTable {
  assertText(bytes, source);
  return parseCsv(bytes, delimiter === undefined ? {} : { delimiter });
}

/**
 * Bytes of a data file (CSV or other delimited text, Parquet, Arrow IPC) as a
 * DataTable. `path` only serves the extension and the messages.
 */
export async function readDataBytes(bytes: Uint8Array, options: ReadDataOptions & { readonly path?: string } = {}): Promise<DataTable> {
  const path = options.path;
  const source = describeSource(path ?? '-');
  assertNotEmpty(bytes, source);
  const format = resolveFormat(bytes, source, path, options.format);
  if (format === 'parquet') return tableFromParquet(bytes, source);
  if (format === 'arrow') return tableFromArrowIpc(bytes, source);
  return csvTable(bytes, source, options.delimiter ?? (path === undefined ? undefined : delimiterFromPath(path)));
}

/**
 * Reads a data file: CSV (any delimiter; a tab for .tsv), Parquet or Arrow
 * IPC (file or stream format, .arrow/.feather). `-` reads standard input.
 * Errors are one-line GlmmInputErrors naming the file.
 */
export async function readDataFile(path: string, options: ReadDataOptions = {}): Promise<DataTable> {
  const bytes = path === '-' ? await readStdinBytes() : readFileBytes(path);
  return readDataBytes(bytes, { ...options, ...(path === '-' ? {} : { path }) });
}

/** Everything on standard input as a DataTable (see readDataBytes). */
export async function readDataStdin(options: ReadDataOptions = {}): Promise<DataTable> {
  return readDataBytes(await readStdinBytes(), options);
}

/**
 * Reads a delimited text file, synchronously (delimiter as for readDataFile).
 * GlmmInputError when missing, unreadable, empty or not text.
 */
export function readCsvFile(path: string, options: { readonly delimiter?: string } = {}): DataTable {
  const bytes = readFileBytes(path);
  const source = describeSource(path);
  assertNotEmpty(bytes, source);
  return csvTable(bytes, source, options.delimiter ?? delimiterFromPath(path));
}
