import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { GlmmInputError, type Diagnostics } from '@glmm/core';
import type { DataTable } from '@glmm/formula';
import { fileErrorReason, readDataFile } from '@glmm/node-io';
import { perRowFormatOf, writeDiagnosticsChunks, type ModelData, type PerRowFormat } from './diagnostics-csv.js';

/**
 * Reads `--data`: a CSV or other delimited file (delimiter given or guessed;
 * a tab for .tsv), a Parquet or Arrow IPC file (by their first bytes), or
 * standard input for "-". Every failure is one line naming the file.
 */
export function loadData(path: string, delimiter: string | undefined): Promise<DataTable> {
  return readDataFile(path, delimiter === undefined ? {} : { delimiter });
}

/** Writes an output file; a failure is the user's path, so it becomes a one-line input error. */
export function writeTextFile(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text, 'utf8');
  } catch (err) {
    throw new GlmmInputError(`cannot write ${what} to "${path}": ${fileErrorReason(err)}`);
  }
}

/** Writes the per-row output file (CSV, or NDJSON by extension) in chunks; returns its format. */
export function writeDiagnosticsFile(path: string, d: Diagnostics, data: ModelData | undefined): PerRowFormat {
  const format = perRowFormatOf(path);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new GlmmInputError(`cannot write diagnostics to "${path}": ${fileErrorReason(err)}`);
  }
  try {
    writeDiagnosticsChunks(d, format, data, (text) => {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    });
  } catch (err) {
    // A full disk or a closed pipe is the user's; anything else is ours.
    if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    throw new GlmmInputError(`cannot write diagnostics to "${path}": ${fileErrorReason(err)}`);
  } finally {
    closeSync(fd);
  }
  return format;
}
