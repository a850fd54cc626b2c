import type { DataTable } from '@glmm/formula';
import { type Prediction } from '@glmm/glmm';
import type { ParsedArgs } from './args.js';
import { csvCell, csvNumber } from './csv-output.js';
import { loadData, writeTextFile } from './data-file.js';
import { delimiterOption } from './data-option.js';
import type { CliIo } from './io.js';
import { readModelFile } from './model-file-io.js';
import { commandContainer } from './plugin-loading.js';
import { UsageError } from './usage-error.js';

interface PredictSpec {
  readonly modelPath: string;
  /** A file, or "-" for standard input. */
  readonly dataPath: string;
  /** Delimiter of delimited text (--delimiter); guessed when absent. */
  readonly delimiter?: string;
  readonly conditional: boolean;
  readonly scale: 'link' | 'response';
  readonly se: boolean;
  readonly interval: 'none' | 'confidence' | 'prediction';
  readonly level: number;
  readonly format: 'csv' | 'json';
  readonly output?: string;
  /** No notes on stderr. */
  readonly quiet: boolean;
}

function predictSpec(args: ParsedArgs): PredictSpec {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}" for "glmm predict"; options take the form --name value`);
  const modelPath = args.options.get('model');
  const dataPath = args.options.get('data');
  if (modelPath === undefined) throw new UsageError('missing required option --model FILE.json (a model saved by glmm fit --save)');
  if (dataPath === undefined) throw new UsageError('missing required option --data FILE (the rows to predict: CSV, TSV, Parquet, Arrow, or - for standard input)');
  const scale = (args.options.get('scale') ?? 'response').toLowerCase();
  if (scale !== 'link' && scale !== 'response') throw new UsageError(`--scale must be link or response (got "${scale}")`);
  const interval = (args.options.get('interval') ?? 'none').toLowerCase();
  if (interval !== 'none' && interval !== 'confidence' && interval !== 'prediction')
    throw new UsageError(`--interval must be confidence or prediction (got "${interval}")`);
  const levelRaw = args.options.get('level');
  const level = levelRaw === undefined ? 0.95 : Number(levelRaw);
  if (!(level > 0 && level < 1)) throw new UsageError(`--level must be a number between 0 and 1 (got "${levelRaw}")`);
  const format = (args.options.get('format') ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json for glmm predict (got "${format}")`);
  const output = args.options.get('output');
  const delimiter = delimiterOption(args.options);
  return {
    modelPath,
    dataPath,
    ...(delimiter === undefined ? {} : { delimiter }),
    conditional: !args.options.has('marginal'),
    scale,
    se: args.options.has('se'),
    interval,
    level,
    format,
    ...(output !== undefined ? { output } : {}),
    quiet: args.options.has('quiet'),
  };
}

/** Per input row, the position of its prediction, or -1. */
function predictionIndex(p: Prediction): Int32Array {
  const at = new Int32Array(p.nrows).fill(-1);
  p.rows.forEach((r, k) => {
    at[r] = k;
  });
  return at;
}

/** Per prediction, the grouping factors whose level was unseen, joined by ";". */
function newLevelText(p: Prediction, k: number): string {
  return p.newLevels
    .filter((l) => l.rows[k] === 1)
    .map((l) => l.group)
    .join(';');
}

function predictionCsv(p: Prediction, data: DataTable): string {
  const at = predictionIndex(p);
  const extra = ['fit', ...(p.se ? ['se'] : []), ...(p.interval ? ['lower', 'upper'] : []), ...(p.conditional ? ['new_level'] : [])];
  const taken = new Set(data.names);
  const header = [...data.names, ...extra.map((name) => (taken.has(name) ? `${name}.1` : name))];
  const lines = [header.map((h) => (/[",\r\n]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)).join(',')];
  for (let i = 0; i < data.nrows; i++) {
    const k = at[i]!;
    const cells = data.names.map((name) => csvCell(data, name, i));
    const value = (v: Float64Array | undefined): string => (k < 0 || !v ? 'NA' : csvNumber(v[k]!));
    cells.push(value(p.fit));
    if (p.se) cells.push(value(p.se));
    if (p.interval) cells.push(value(p.interval.lower), value(p.interval.upper));
    if (p.conditional) cells.push(k < 0 ? 'NA' : newLevelText(p, k));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

function predictionJson(p: Prediction, modelPath: string): string {
  const rows = Array.from(p.rows, (r, k) => {
    const newLevel = p.newLevels.filter((l) => l.rows[k] === 1).map((l) => l.group);
    return {
      row: r + 1,
      fit: p.fit[k]!,
      ...(p.se ? { se: p.se[k]! } : {}),
      ...(p.interval ? { lower: p.interval.lower[k]!, upper: p.interval.upper[k]! } : {}),
      ...(p.conditional ? { newLevel } : {}),
    };
  });
  return `${JSON.stringify(
    {
      model: modelPath,
      conditional: p.conditional,
      scale: p.scale,
      ...(p.interval ? { interval: p.interval.type, level: p.interval.level } : {}),
      nrows: p.nrows,
      rows,
      excluded: p.excluded,
    },
    null,
    2,
  )}\n`;
}

/** `glmm predict`, its arguments parsed against PREDICT_OPTIONS (--help and --version answered before). */
export async function runPredict(args: ParsedArgs, io: CliIo): Promise<number> {
  const spec = predictSpec(args);
  const note = (s: string): void => {
    if (!spec.quiet) io.stderr(s);
  };
  const model = readModelFile(spec.modelPath, await commandContainer(args));
  const data = await loadData(spec.dataPath, spec.delimiter);
  const p = model.predict({ data, conditional: spec.conditional, scale: spec.scale, se: spec.se, interval: spec.interval, level: spec.level });
  const text = spec.format === 'csv' ? predictionCsv(p, data) : predictionJson(p, spec.modelPath);
  if (spec.output !== undefined) {
    writeTextFile(spec.output, text, 'predictions');
    note(`glmm: wrote ${p.rows.length} predictions to ${spec.output}\n`);
  } else io.stdout(text);
  // The rows also read NA in the output.
  if (p.excluded.count > 0) note(`glmm: ${p.excluded.count} of ${p.nrows} rows have a missing or non-finite predictor and were not predicted (NA)\n`);
  return 0;
}
