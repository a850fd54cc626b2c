import { GlmmInputError, type Container, type GlmmResults, type ModelMatrices } from '@glmm/core';
import {
  buildModelFrame,
  categoricalColumn,
  designColumns,
  isCategoricalColumn,
  newDataDesign,
  parseFormula,
  type ColumnData,
  type DataInput,
  type DataTable,
  type ModelFrameEncoding,
} from '@glmm/formula';
import type { ModelEstimates } from './estimates.js';
import { GlmmModel } from './glmm-model.js';
import { checkModelFile } from './model-file-schema.js';
import { resolveModelPlugins } from './model-plugins.js';
import type { ModelSpec } from './model-spec.js';
import type { RandomTermInfo } from './model-view.js';
import type { TrainingDesign } from './training-data.js';

export const MODEL_FILE_FORMAT = 'glmm-model';
export const MODEL_FILE_VERSION = 1;

/** A saved column: numbers, or level texts with one code per row. */
export type SavedColumn = number[] | { readonly levels: string[]; readonly codes: number[] };

/**
 * The JSON a model is saved as (version 1; JSON Schema in
 * model-file-schema.ts).  Arrays of numbers are plain JSON arrays: every
 * double survives JSON.stringify and JSON.parse exactly.
 */
export interface ModelFile {
  readonly format: typeof MODEL_FILE_FORMAT;
  readonly version: typeof MODEL_FILE_VERSION;
  readonly spec: ModelSpec;
  readonly frame: ModelFrameEncoding;
  readonly estimates: SavedEstimates;
  /** The results contract without the per-row diagnostics. */
  readonly summary: Omit<GlmmResults, 'diagnostics'>;
  /** The fitted rows (their predictors, groups, offsets, weights and response), or null when saved without. */
  readonly design: SavedDesign | null;
  /** Sums of the response, to check that data given at load time are the data of the fit. */
  readonly response: { readonly n: number; readonly sum: number; readonly sumOfSquares: number } | null;
}

export interface SavedEstimates {
  readonly method: string;
  readonly nAGQ: number;
  readonly beta: number[];
  readonly vcov: number[];
  readonly theta: number[];
  readonly sigma: number;
  readonly dispersion: number;
  /** A family parameter estimated by ML (natural scale), when the fit had one. */
  readonly familyParameter?: number;
  readonly logLik: number;
  readonly df: number;
  readonly terms: SavedTerm[];
}

export interface SavedTerm {
  readonly group: string;
  readonly columnNames: string[];
  readonly levels: string[];
  readonly covariance: string;
  readonly thetaOffset: number;
  readonly thetaCount: number;
  readonly correlated: boolean;
  readonly covarianceMatrix: number[];
  readonly modes: number[];
  readonly condSd: number[];
}

export interface SavedDesign {
  /** Rows used. */
  readonly n: number;
  readonly columns: Record<string, SavedColumn>;
  /** Prior weights (binomial: times the trials), null when all 1. */
  readonly weights: number[] | null;
  /** Binomial trials, null when all 1. */
  readonly trials: number[] | null;
  /** The response on the model's scale (binomial: proportions of the trials). */
  readonly response: number[];
}

export interface SaveOptions {
  /**
   * Keep the fitted rows in the file (the columns the formula reads, on the
   * rows used, as lme4 keeps its model frame), so that every method runs
   * from the file alone: simulate, refit, residuals, Satterthwaite degrees
   * of freedom, profile intervals, the bootstrap.  Default true.  Without
   * them a loaded model predicts new data and gives its estimates, and the
   * methods that need the rows say so (pass the data at load time).
   */
  readonly data?: boolean;
}

const allOnes = (v: Float64Array): boolean => v.every((x) => x === 1);

function saveColumn(col: ColumnData): SavedColumn {
  if (col instanceof Float64Array) return Array.from(col);
  if (isCategoricalColumn(col)) return { levels: [...col.levels], codes: Array.from(col.codes) };
  throw new Error('design columns are numbers or categorical columns');
}

function sumAndSquares(y: Float64Array): { sum: number; sumOfSquares: number } {
  let sum = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < y.length; i++) {
    sum += y[i]!;
    sumOfSquares += y[i]! * y[i]!;
  }
  return { sum, sumOfSquares };
}

/** The model as its JSON file (an object; JSON.stringify it to write). */
export function modelToJson(model: GlmmModel, options: SaveOptions = {}): ModelFile {
  const data = model.trainingData;
  let design: SavedDesign | null = null;
  if (options.data !== false && data?.source && data.response) {
    const table = designColumns(model.encoding, data.source, data.design.usedRows);
    design = {
      n: data.design.n,
      columns: Object.fromEntries(table.names.map((name) => [name, saveColumn(table.columns[name]!)])),
      weights: allOnes(data.design.weights) ? null : Array.from(data.design.weights),
      trials: allOnes(data.design.trials) ? null : Array.from(data.design.trials),
      response: Array.from(data.response),
    };
  }
  const est = model.estimates;
  return {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    spec: model.spec,
    frame: model.encoding,
    estimates: {
      method: est.method,
      nAGQ: est.nAGQ,
      beta: Array.from(est.beta),
      vcov: Array.from(est.vcov),
      theta: Array.from(est.theta),
      sigma: est.sigma,
      dispersion: est.dispersion,
      ...(est.familyParameter !== null ? { familyParameter: est.familyParameter } : {}),
      logLik: est.logLik,
      df: est.df,
      terms: est.terms.map((t) => ({
        group: t.group,
        columnNames: [...t.columnNames],
        levels: [...t.levels],
        covariance: t.covariance,
        thetaOffset: t.thetaOffset,
        thetaCount: t.thetaCount,
        correlated: t.correlated,
        covarianceMatrix: Array.from(t.covarianceMatrix),
        modes: Array.from(t.modes),
        condSd: Array.from(t.condSd),
      })),
    },
    summary: model.summary,
    design,
    response: data?.response ? { n: data.response.length, ...sumAndSquares(data.response) } : null,
  };
}

/** The model as JSON text, for a file. */
export function saveModel(model: GlmmModel, options: SaveOptions = {}): string {
  return JSON.stringify(modelToJson(model, options));
}

export interface LoadOptions {
  /** Container to resolve the model's plugins from. */
  readonly container: Container;
  /**
   * The data the model was fitted to (the whole input, as at fit time):
   * then residuals, the diagnostics, profile intervals and refits by another
   * method work too.  Checked against the saved model.
   */
  readonly data?: DataInput;
}

/** A model from its JSON (text or parsed), checked against the schema; with `data`, checked against them too. */
export function loadModel(json: string | unknown, options: LoadOptions): GlmmModel {
  let parsed: unknown = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new GlmmInputError(`model file is not valid JSON: ${(e as Error).message}`);
    }
  }
  const file = checkModelFile(parsed);
  const spec = file.spec;
  const plugins = resolveModelPlugins(options.container, spec);
  const estimates = restoreEstimates(file.estimates);
  let design: TrainingDesign | null = file.design ? restoreDesign(file) : null;
  let response: Float64Array | null = file.design ? Float64Array.from(file.design.response) : null;
  let source: DataTable | null = null;
  if (options.data !== undefined) {
    const model = rebuildModel(file, options.data);
    const { y, ...rest } = model;
    design = rest;
    response = y;
    source = null;
  }
  return new GlmmModel({
    spec,
    encoding: file.frame,
    plugins,
    estimates,
    summary: file.summary,
    results: null,
    data: design ? { design, response, source } : null,
  });
}

function restoreEstimates(e: SavedEstimates): ModelEstimates {
  return {
    method: e.method,
    nAGQ: e.nAGQ,
    beta: Float64Array.from(e.beta),
    vcov: Float64Array.from(e.vcov),
    theta: Float64Array.from(e.theta),
    sigma: e.sigma,
    dispersion: e.dispersion,
    familyParameter: e.familyParameter ?? null,
    logLik: e.logLik,
    df: e.df,
    terms: e.terms.map(
      (t): RandomTermInfo => ({
        ...t,
        covarianceMatrix: Float64Array.from(t.covarianceMatrix),
        modes: Float64Array.from(t.modes),
        condSd: Float64Array.from(t.condSd),
      }),
    ),
  };
}

/** Rows used (0-based): every input row but the excluded ones, which the summary lists. */
function usedRowsOf(summary: ModelFile['summary']): Int32Array {
  const total = summary.nobs + summary.excluded.count;
  const out = new Int32Array(summary.nobs);
  const excluded = new Set(summary.excluded.rows.map((r) => r.row - 1));
  let k = 0;
  for (let r = 0; r < total && k < out.length; r++) if (!excluded.has(r)) out[k++] = r;
  return out;
}

/** The training design from the saved columns: X, Z and the offset through the frame, as for new data. */
function restoreDesign(file: ModelFile): TrainingDesign {
  const saved = file.design!;
  const columns: Record<string, ColumnData> = {};
  for (const [name, col] of Object.entries(saved.columns))
    columns[name] = Array.isArray(col) ? Float64Array.from(col) : categoricalColumn(Int32Array.from(col.codes), col.levels);
  const table: DataTable = { names: Object.keys(columns), nrows: saved.n, columns };
  const d = newDataDesign(file.frame, table);
  if (d.n !== saved.n || saved.response.length !== saved.n)
    throw new GlmmInputError(`model file's rows give ${d.n} rows and ${saved.response.length} responses, it records ${saved.n}; the file is damaged`);
  const n = d.n;
  const ones = new Float64Array(n).fill(1);
  const f = file.frame;
  return {
    n,
    p: f.fixedNames.length,
    responseName: parseFormula(f.formula).response.label,
    weights: saved.weights ? Float64Array.from(saved.weights) : ones,
    trials: saved.trials ? Float64Array.from(saved.trials) : ones,
    offset: d.offset,
    X: d.X,
    fixedNames: f.fixedNames,
    terms: d.terms.map((t, k) => {
      const enc = f.random[k]!;
      if (t.index.some((l) => l < 0)) throw new GlmmInputError(`model file's design has rows outside the levels of ${enc.group}; the file is damaged`);
      return {
        group: enc.group,
        levels: enc.levels,
        index: t.index,
        columns: t.columns,
        columnNames: enc.columnNames,
        covariance: file.spec.covariances[k] ?? 'unstructured',
      };
    }),
    usedRows: usedRowsOf(file.summary),
    excluded: file.summary.excluded,
  };
}

/** The model matrices of the data given at load time, checked to be those of the fit. */
function rebuildModel(file: ModelFile, data: DataInput): ModelMatrices {
  const f = file.frame;
  const { model, encoding } = buildModelFrame(f.formula, data, {
    categorical: f.categorical,
    intercept: f.intercept,
    ...(f.weights !== undefined ? { weights: f.weights } : {}),
    ...(f.offset !== undefined ? { offset: f.offset } : {}),
    coding: f.coding,
    exclude: f.exclude,
  });
  const mismatch = (what: string): never => {
    throw new GlmmInputError(`the data given do not match the data the model was fitted to: ${what}; pass the same data as at fit time`);
  };
  if (model.n !== file.summary.nobs) mismatch(`${model.n} rows are used, the fit used ${file.summary.nobs}`);
  if (encoding.fixedNames.join('\u0000') !== f.fixedNames.join('\u0000'))
    mismatch(`fixed effects ${encoding.fixedNames.join(', ')}, the fit has ${f.fixedNames.join(', ')}`);
  encoding.random.forEach((r, k) => {
    const saved = f.random[k]!;
    if (r.levels.length !== saved.levels.length || r.levels.some((l, i) => l !== saved.levels[i]))
      mismatch(`the levels of ${r.group} differ from the fit's`);
  });
  const sums = file.response;
  if (sums) {
    const { sum, sumOfSquares } = sumAndSquares(model.y);
    const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    if (!close(sum, sums.sum) || !close(sumOfSquares, sums.sumOfSquares)) mismatch(`the response "${model.responseName}" differs from the fit's`);
  }
  // The rebuilt model shares the caller's columns; the covariance plugins are the spec's, not the frame's default.
  return { ...model, terms: model.terms.map((t, k) => ({ ...t, covariance: file.spec.covariances[k] ?? t.covariance })) };
}
