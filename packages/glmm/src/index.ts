export { fitGlmm } from './fit-glmm.js';
export type { FitRequest } from './fit-request.js';
export { defaultBundles } from './default-bundles.js';
export { createDefaultContainer, defaultContainer } from './default-container.js';
export { resolvePlugin, listPlugins, listBundles, registerBundles, GlmmInputError } from '@glmm/core';
export type { GlmmResults, Container, PluginBundle } from '@glmm/core';
export { parseCsv, readCsvFile, buildModel, parseFormula, categoricalCells, categoricalColumn, isCategoricalColumn } from '@glmm/formula';
export type { DataInput, DataTable, CategoricalColumn, ColumnData, CellValue } from '@glmm/formula';
