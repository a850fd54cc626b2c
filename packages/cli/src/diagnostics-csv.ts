import type { Diagnostics } from '@glmm/core';
import { isCategoricalColumn, type DataTable } from '@glmm/formula';

/**
 * The per-row output file: one line per row used in the fit, with the input
 * row number (1-based, to join on), the model's own data columns (response,
 * predictors, grouping factors, weights and offset, as broom.mixed's
 * augment() repeats the model frame) and the diagnostics: fitted values,
 * linear predictor, residuals and each row's random effects. CSV, or NDJSON
 * (one JSON object per line) for a .ndjson or .jsonl file name.
 */
export type PerRowFormat = 'csv' | 'ndjson';

export function perRowFormatOf(path: string): PerRowFormat {
  return /\.(ndjson|jsonl)$/i.test(path) ? 'ndjson' : 'csv';
}

/**
 * Column name of one random-effects key ("group|term") in the diagnostics CSV:
 * `re_<group>_<term>` reduced to characters that every spreadsheet and R's
 * `read.csv` keep as they are ("(Intercept)" becomes "Intercept", "b:a" becomes "b_a").
 */
export function randomEffectColumnName(key: string): string {
  const bar = key.indexOf('|');
  const group = bar < 0 ? key : key.slice(0, bar);
  const term = bar < 0 ? '' : key.slice(bar + 1);
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9_.]+/g, '_').replace(/^_+|_+$/g, '');
  return term === '' ? `re_${clean(group)}` : `re_${clean(group)}_${clean(term)}`;
}

/** Key of the first term's intercept, which MIDAS exports as `group_random_effect`. */
function interceptKey(keys: readonly string[]): string | undefined {
  const first = keys[0];
  if (first === undefined) return undefined;
  const group = first.slice(0, first.indexOf('|'));
  return keys.find((k) => k === `${group}|(Intercept)`);
}

/** The model's data columns to repeat beside the diagnostics: the table and the columns' names. */
export interface ModelData {
  readonly table: DataTable;
  readonly columns: readonly string[];
}

/** One output column: a number or a text per output row. */
type OutColumn =
  | { readonly name: string; readonly kind: 'number'; readonly value: (i: number) => number }
  | { readonly name: string; readonly kind: 'text'; readonly value: (i: number) => string | null };

/** Shortest round-trip form; R and pandas read "NA" as missing. */
function csvNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? 'NA' : x > 0 ? 'Inf' : '-Inf';
}

function csvText(s: string | null): string {
  if (s === null) return 'NA';
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** JSON has no NaN or infinities: they are null. */
function jsonNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

/** A data column at the rows the fit used (`rows` are 1-based input rows). */
function dataColumn(table: DataTable, name: string, rows: readonly number[]): OutColumn | undefined {
  const col = table.columns[name];
  if (col === undefined) return undefined;
  if (col instanceof Float64Array) return { name, kind: 'number', value: (i) => col[(rows[i] as number) - 1] as number };
  if (isCategoricalColumn(col)) return { name, kind: 'text', value: (i) => col.levels[col.codes[(rows[i] as number) - 1] as number] as string };
  return {
    name,
    kind: 'text',
    value: (i) => {
      const c = col[(rows[i] as number) - 1];
      return c === null || c === undefined ? null : typeof c === 'boolean' ? (c ? 'TRUE' : 'FALSE') : String(c);
    },
  };
}

function outputColumns(d: Diagnostics, data: ModelData | undefined): OutColumn[] {
  const rows = d.row;
  const reKeys = Object.keys(d.randomEffects);
  const alias = interceptKey(reKeys);
  const ours: [string, readonly number[]][] = [
    ['row', rows],
    ['fitted', d.fitted],
    ['linear_predictor', d.linearPredictor],
    ['response_residual', d.responseResiduals],
    ['deviance_residual', d.devianceResiduals],
    ['pearson_residual', d.pearsonResiduals],
    ...reKeys.map((k): [string, readonly number[]] => [randomEffectColumnName(k), d.randomEffects[k] as number[]]),
    ...(alias === undefined ? [] : [['group_random_effect', d.randomEffects[alias] as number[]] as [string, readonly number[]]]),
  ];
  const model = (data?.columns ?? []).flatMap((name) => {
    const c = data === undefined ? undefined : dataColumn(data.table, name, rows);
    return c === undefined ? [] : [c];
  });
  // A data column keeps its name; one of ours that it would shadow gets broom's leading dot.
  const taken = new Set(model.map((c) => c.name));
  const numbers = ours.map(([name, values]): OutColumn => ({
    name: taken.has(name) ? `.${name}` : name,
    kind: 'number',
    value: (i) => values[i] ?? Number.NaN,
  }));
  const [rowColumn, ...rest] = numbers;
  return [rowColumn as OutColumn, ...model, ...rest];
}

/** Builds the lines and hands them on in chunks (a file of a million rows is never one string). */
function emit(d: Diagnostics, format: PerRowFormat, data: ModelData | undefined, sink: (text: string) => void): void {
  const cols = outputColumns(d, data);
  const n = d.row.length;
  const keys = cols.map((c) => `${JSON.stringify(c.name)}:`);
  sink(format === 'csv' ? `${cols.map((c) => csvText(c.name)).join(',')}\n` : '');
  const chunk: string[] = [];
  for (let i = 0; i < n; i++) {
    let line = format === 'csv' ? '' : '{';
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j] as OutColumn;
      const cell =
        c.kind === 'number'
          ? format === 'csv'
            ? csvNumber(c.value(i))
            : jsonNumber(c.value(i))
          : format === 'csv'
            ? csvText(c.value(i))
            : JSON.stringify(c.value(i));
      line += format === 'csv' ? (j ? `,${cell}` : cell) : `${j ? ',' : ''}${keys[j]}${cell}`;
    }
    chunk.push(format === 'csv' ? line : `${line}}`);
    if (chunk.length === 8192) {
      sink(`${chunk.join('\n')}\n`);
      chunk.length = 0;
    }
  }
  if (chunk.length > 0) sink(`${chunk.join('\n')}\n`);
}

/** The per-row output as one string (small data, tests); writeDiagnostics streams it to a file. */
export function diagnosticsCsv(d: Diagnostics, data?: ModelData, format: PerRowFormat = 'csv'): string {
  let out = '';
  emit(d, format, data, (t) => {
    out += t;
  });
  return out;
}

/** Streams the per-row output to `write`, chunk by chunk. */
export function writeDiagnosticsChunks(d: Diagnostics, format: PerRowFormat, data: ModelData | undefined, write: (text: string) => void): void {
  emit(d, format, data, write);
}
