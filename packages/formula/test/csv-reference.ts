/**
 * The reference the CSV reader is tested against: csv-parse (a widely used,
 * independently written parser) for the records, then the same column rules
 * (numeric while every cell is numeric text, else categorical in order of
 * first appearance). Tests only: the library reads CSV with its own scanner.
 */
import { parse } from 'csv-parse/sync';
import { GlmmInputError } from '@glmm/core';
import { categoricalColumn } from '../src/categorical-column.js';
import { parseNumericText } from '../src/cell.js';
import { uniqueColumnNames } from '../src/column-names.js';
import type { ColumnData, DataTable } from '../src/data-table.js';

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

export function parseCsvReference(text: string, delimiter = ','): DataTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, delimiter }) as string[][];
  } catch (err) {
    throw new GlmmInputError(`CSV could not be parsed: ${(err as Error).message.split('\n')[0]}`);
  }
  if (records.length === 0) throw new GlmmInputError('CSV is empty: a header row is required');
  const header = records[0] as string[];
  const names = uniqueColumnNames(header);
  const columns: Record<string, ColumnData> = {};
  for (let j = 0; j < header.length; j++) columns[names[j] as string] = buildColumn(records, j);
  return { names, nrows: records.length - 1, columns };
}

/**
 * Whether csv-parse reads a text's line ends the way the scanner does: it
 * takes the first line end it meets (LF, CRLF or CR) as the only one, where
 * the scanner takes every LF, CRLF and CR as a line end. Texts with one kind
 * throughout (or none) are read alike.
 */
export function oneKindOfLineEnd(text: string): boolean {
  const kinds = new Set<string>();
  for (const m of text.matchAll(/\r\n|\r|\n/g)) kinds.add(m[0]);
  return kinds.size <= 1;
}
