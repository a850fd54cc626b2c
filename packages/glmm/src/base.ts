/**
 * @glmm/glmm/base: the library without any plugin.  A host app registers the
 * plugins it ships (createContainer(linksBundle, familyPoissonBundle, ...))
 * and fits with fitWithContainer; a bundler then carries only those plugins.
 * Imports nothing Node-only.
 */
export { fitWithContainer } from './fit-with-container.js';
export { fitModelWithContainer } from './fit-model-with-container.js';
export { prepareFitWithContainer } from './prepare-fit-with-container.js';
export type { PreparedFit } from './prepare-fit-with-container.js';
export type { FitRequest } from './fit-request.js';
export {
  createContainer,
  resolvePlugin,
  listPlugins,
  listBundles,
  registerBundles,
  GlmmInputError,
  FitAbortedError,
  lmmDevianceAtSigma,
} from '@glmm/core';
export type {
  GlmmResults,
  Container,
  PluginBundle,
  FitProgress,
  ReportContext,
  ReportRows,
  ModelDeviance,
  DevianceState,
  DevianceLayout,
  FitStart,
} from '@glmm/core';
export { parseCsv, buildModel, parseFormula, categoricalCells, categoricalColumn, isCategoricalColumn } from '@glmm/formula';
export type { DataInput, DataTable, CategoricalColumn, ColumnData, ColumnInput, CellValue, NumericArray } from '@glmm/formula';
