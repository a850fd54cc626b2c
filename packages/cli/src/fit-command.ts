import {
  nearestName,
  PluginNotFoundError,
  resolvePlugin,
  type Container,
  type FitOptions,
  type FitProgress,
  type PluginBundle,
  type Reporter,
} from '@glmm/core';
import { formulaColumns, parseFormula, type CodingSpec } from '@glmm/formula';
import { createDefaultContainer, fitModel, saveModel, type FitRequest } from '@glmm/glmm';
import { DF_METHODS, fixedEffectsTable, withDegreesOfFreedom, type DfMethod } from '@glmm/inference';
import { reportRows } from '@glmm/report';
import { integerOption, listOption, positiveNumberOption, type ParsedArgs } from './args.js';
import { loadData, writeDiagnosticsFile, writeTextFile } from './data-file.js';
import { delimiterOption } from './data-option.js';
import type { ModelData } from './diagnostics-csv.js';
import type { CliIo } from './io.js';
import { codingOption, excludeOption } from './model-options.js';
import { choiceOption, levelOption } from './model-option.js';
import { ProgressLine } from './progress-line.js';
import { UsageError } from './usage-error.js';

/** Output destinations shared by `fit` and `example`. */
export interface OutputSpec {
  readonly format: string;
  /** Layout within the format (text: lme4 or fitglme); default the reporter's first. */
  readonly style?: string;
  /** No progress line and no notes on stderr; errors are still reported. */
  readonly quiet?: boolean;
  readonly output?: string;
  /** Per-row output file (CSV, or NDJSON for .ndjson/.jsonl). */
  readonly diagnostics?: string;
  /** Per-row output inside the JSON (--diagnostics-inline). */
  readonly diagnosticsInline?: boolean;
}

/** A `glmm fit` command line, checked and typed. */
export interface FitSpec extends OutputSpec {
  /** A file, or "-" for standard input. */
  readonly dataPath: string;
  /** Delimiter of delimited text (--delimiter); guessed when absent. */
  readonly delimiter?: string;
  readonly formula: string;
  readonly family?: string;
  readonly link?: string;
  readonly method?: string;
  readonly categorical?: readonly string[];
  readonly weights?: string;
  readonly offset?: string;
  readonly intercept: boolean;
  readonly options: Partial<FitOptions>;
  readonly covariance?: Readonly<Record<string, string>>;
  readonly coding?: CodingSpec;
  readonly exclude?: readonly number[];
  /** Where to save the fitted model. */
  readonly save?: string;
  /** Degrees of freedom of the fixed-effects table (default: satterthwaite for LMMs, z otherwise). */
  readonly ddf?: DfMethod;
  /** Level of the fixed effects' intervals (default 0.95). */
  readonly level?: number;
}

export function outputSpecFromArgs(args: ParsedArgs): OutputSpec {
  const format = (args.options.get('format') ?? 'text').toLowerCase();
  const diagnosticsInline = args.options.has('diagnostics-inline');
  if (diagnosticsInline && format !== 'json') {
    throw new UsageError(`--diagnostics-inline puts the per-row output into the JSON, so it needs --format json (got --format ${format}); use --diagnostics FILE otherwise`);
  }
  return {
    format,
    style: args.options.get('style')?.toLowerCase(),
    quiet: args.options.has('quiet'),
    output: args.options.get('output'),
    diagnostics: args.options.get('diagnostics'),
    ...(diagnosticsInline ? { diagnosticsInline } : {}),
  };
}

export function fitSpecFromArgs(args: ParsedArgs): FitSpec {
  if (args.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${args.positionals[0]}" for "glmm fit"; options take the form --name value`);
  }
  const dataPath = args.options.get('data');
  const formula = args.options.get('formula');
  if (dataPath === undefined && formula === undefined) {
    throw new UsageError('missing required options --data and --formula (see "glmm fit --help")');
  }
  if (dataPath === undefined) throw new UsageError('missing required option --data FILE (CSV, TSV, Parquet, Arrow, or - for standard input)');
  if (formula === undefined) throw new UsageError('missing required option --formula "y ~ x + (1 | g)"');

  const nAGQ = integerOption(args, 'nagq', 1);
  let method = args.options.get('method')?.toLowerCase();
  if (nAGQ !== undefined && nAGQ > 1) {
    // lme4's glmer(nAGQ = n > 1) means adaptive quadrature, so the number alone implies the method.
    if (method === undefined) method = 'agq';
    else if (method !== 'agq') throw new UsageError(`--nagq ${nAGQ} needs --method agq (got --method ${method})`);
  }
  const maxIterations = integerOption(args, 'max-iter', 1);
  const tolerance = positiveNumberOption(args, 'tol');
  const dispersion = args.options.get('dispersion')?.toLowerCase();
  if (dispersion !== undefined && dispersion !== 'moment' && dispersion !== 'ml')
    throw new UsageError(`option --dispersion must be moment or ml (got "${dispersion}")`);
  const options: Partial<FitOptions> = {
    ...(dispersion === undefined ? {} : { dispersion }),
    ...(nAGQ === undefined ? {} : { nAGQ }),
    ...(maxIterations === undefined ? {} : { maxIterations }),
    ...(tolerance === undefined ? {} : { tolerance }),
  };
  const delimiter = delimiterOption(args.options);
  return {
    ...outputSpecFromArgs(args),
    dataPath,
    ...(delimiter === undefined ? {} : { delimiter }),
    formula,
    family: args.options.get('family')?.toLowerCase(),
    link: args.options.get('link')?.toLowerCase(),
    method,
    categorical: listOption(args, 'categorical'),
    weights: args.options.get('weights'),
    offset: args.options.get('offset'),
    intercept: !args.options.has('no-intercept'),
    options,
    covariance: covarianceOption(listOption(args, 'covariance')),
    coding: codingOption(args),
    exclude: excludeOption(args),
    save: args.options.get('save'),
    ...(args.options.has('ddf') ? { ddf: choiceOption<DfMethod>(args.options, 'ddf', DF_METHODS)! } : {}),
    ...(args.options.has('level') ? { level: levelOption(args.options)! } : {}),
  };
}

/** `--covariance Subject=diagonal,item=unstructured` as a map from grouping factor to structure. */
function covarianceOption(items: readonly string[] | undefined): Record<string, string> | undefined {
  if (!items) return undefined;
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1)
      throw new UsageError(`--covariance expects GROUP=STRUCTURE pairs such as Subject=diagonal, got "${item}"`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim().toLowerCase();
  }
  return out;
}

/** The reporter for `--format`, resolved before any work so a typo costs nothing. */
function resolveReporter(container: Container, format: string): Reporter {
  try {
    return resolvePlugin(container, 'reporter', format);
  } catch (err) {
    if (err instanceof PluginNotFoundError) {
      const guess = nearestName(format, err.loaded);
      throw new UsageError(`unknown --format "${format}"${guess ? ` (did you mean ${guess}?)` : ''}; available formats: ${err.loaded.join(', ')}`);
    }
    throw err;
  }
}

/** The --style, checked against the styles the reporter declares. */
function checkStyle(reporter: Reporter, style: string | undefined): void {
  if (style === undefined) return;
  const styles = reporter.styles ?? [];
  if (styles.includes(style)) return;
  if (styles.length === 0) throw new UsageError(`--style does not apply to --format ${reporter.name}`);
  const guess = nearestName(style, styles);
  throw new UsageError(`unknown --style "${style}" for --format ${reporter.name}${guess ? ` (did you mean ${guess}?)` : ''}; styles: ${styles.join(', ')}`);
}

/** Runs the fit with the line's callback (none when quiet), clearing the line however the fit ends. */
function runWithProgress<T>(line: ProgressLine | null, fit: (option: { onProgress?: (p: FitProgress) => void }) => T): T {
  if (!line) return fit({});
  try {
    return fit({ onProgress: (p) => line.update(p) });
  } finally {
    line.done();
  }
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

/** The data columns the model reads (formula, weights, offset), to repeat in the per-row output. */
function modelColumns(spec: FitSpec): string[] {
  const columns = formulaColumns(parseFormula(spec.formula));
  for (const extra of [spec.weights, spec.offset]) if (extra !== undefined && !columns.includes(extra)) columns.push(extra);
  return columns;
}

/**
 * Loads the data, fits, renders and writes.  `preamble` is printed before a
 * text summary on stdout (the example command shows its equivalent command line);
 * `bundles` are the --plugin bundles.
 */
export async function executeFit(spec: FitSpec, io: CliIo, preamble?: string, bundles: readonly PluginBundle[] = []): Promise<number> {
  // --plugin bundles join the default plugins, so a custom family or reporter is resolved like a shipped one.
  const container = createDefaultContainer(...bundles);
  const reporter = resolveReporter(container, spec.format);
  checkStyle(reporter, spec.style);
  const note = (s: string): void => {
    if (!spec.quiet) io.stderr(s);
  };

  const loadStart = performance.now();
  const data = await loadData(spec.dataPath, spec.delimiter);
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const request: FitRequest = {
    formula: spec.formula,
    data,
    family: spec.family,
    link: spec.link,
    method: spec.method,
    categorical: spec.categorical,
    intercept: spec.intercept,
    weights: spec.weights,
    offset: spec.offset,
    options: spec.options,
    ...(spec.covariance ? { covariance: spec.covariance } : {}),
    ...(spec.coding !== undefined ? { coding: spec.coding } : {}),
    ...(spec.exclude !== undefined ? { exclude: spec.exclude } : {}),
    ...(spec.level !== undefined ? { confidenceLevel: spec.level } : {}),
    container,
  };
  // The progress line is drawn from the fit's callback and cleared before anything else is written, error or not.
  const progress = spec.quiet ? null : new ProgressLine({ write: io.stderr, isTTY: io.stderrIsTTY === true, columns: io.stderrColumns }, io.now ? { now: io.now } : {});
  const model = runWithProgress(progress, (onProgress) => fitModel({ ...request, ...onProgress }));
  // The fixed effects with the DF method's t (or z) statistics, p-values and intervals.
  const results = withDegreesOfFreedom(model.results, fixedEffectsTable(model, { ...(spec.ddf ? { ddf: spec.ddf } : {}), ...(spec.level !== undefined ? { level: spec.level } : {}) }));
  results.timing = { ...results.timing, loadSeconds };
  if (spec.save !== undefined) {
    writeTextFile(spec.save, `${saveModel(model)}\n`, 'the model');
    note(`glmm: saved the model to ${spec.save}\n`);
  }

  // The per-row output goes to its file first, so that the results can say where it went.
  if (spec.diagnostics !== undefined) {
    const modelData: ModelData = { table: data, columns: modelColumns(spec) };
    const format = writeDiagnosticsFile(spec.diagnostics, results.diagnostics, modelData);
    results.diagnosticsOutput = { ...results.diagnosticsOutput, file: spec.diagnostics, format };
    note(`glmm: wrote diagnostics for ${results.diagnosticsOutput.rows} rows to ${spec.diagnostics}\n`);
  }
  if (spec.diagnosticsInline) results.diagnosticsOutput = { ...results.diagnosticsOutput, inline: true };

  // The per-row layout is kept beside the fit's own results object, which withDegreesOfFreedom copied.
  const rows = reportRows(model.results);
  const rendered = withNewline(await reporter.render(results, { ...(rows ? { rows } : {}), ...(spec.style ? { style: spec.style } : {}) }));
  if (spec.output !== undefined) {
    writeTextFile(spec.output, rendered, `${reporter.name} output`);
    note(`glmm: wrote ${reporter.name} output to ${spec.output}\n`);
  } else {
    io.stdout(preamble !== undefined && reporter.name === 'text' ? preamble + rendered : rendered);
  }
  return 0;
}
