export { fitGlmm } from './fit-glmm.js';
export type { FitRequest } from './fit-request.js';
export { defaultBundles } from './default-bundles.js';
export { createDefaultContainer, defaultContainer } from './default-container.js';
export { resolvePlugin, listPlugins, listBundles, registerBundles, GlmmInputError } from '@glmm/core';
export type { GlmmResults, Container, PluginBundle } from '@glmm/core';
export { parseCsv, buildModel, parseFormula, categoricalCells, categoricalColumn, isCategoricalColumn } from '@glmm/formula';
export type { DataInput, DataTable, CategoricalColumn, ColumnData, ColumnInput, CellValue, NumericArray } from '@glmm/formula';
// Node-only file reading (node:fs); a browser entry leaves this line out.
export { readCsvFile, readDataFile } from '@glmm/node-io';
