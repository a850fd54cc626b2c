import { parse } from 'csv-parse/sync';
import { GlmmInputError } from '@glmm/core';
import { categoricalColumn } from './categorical-column.js';
import { parseNumericText } from './cell.js';
import { scanCsv } from './csv-scanner.js';
import type { ColumnData, DataTable } from './data-table.js';

/** Header names made unique the way R's read.csv does ("x", "x.1"); a blank name becomes "X". */
function headerNames(raw: readonly string[]): string[] {
  const used = new Set<string>();
  return raw.map((h) => {
    const base = h.trim() === '' ? 'X' : h.trim();
    let name = base;
    for (let k = 1; used.has(name); k++) name = `${base}.${k}`;
    used.add(name);
    return name;
  });
}

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

/** Parses CSV text with a header row; numeric columns come back as Float64Array, text columns as categorical columns. */
export function parseCsv(text: string): DataTable {
  const scanned = scanCsv(text);
  if (scanned === undefined) return parseCsvGeneral(text);
  const names = headerNames(scanned.header);
  const columns: Record<string, ColumnData> = {};
  for (let j = 0; j < names.length; j++) columns[names[j] as string] = scanned.columns[j] as ColumnData;
  return { names, nrows: scanned.nrows, columns };
}

/** parseCsv through csv-parse: any CSV it accepts, and its error messages. */
export function parseCsvGeneral(text: string): DataTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new GlmmInputError(`CSV could not be parsed: ${msg}`);
  }
  if (records.length === 0) throw new GlmmInputError('CSV is empty: a header row is required');
  const names = headerNames(records[0] as string[]);
  const columns: Record<string, ColumnData> = {};
  for (let j = 0; j < names.length; j++) columns[names[j] as string] = buildColumn(records, j);
  return { names, nrows: records.length - 1, columns };
}
