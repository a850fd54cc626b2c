/**
 * @glmm/glmm for Node (what Node resolves '@glmm/glmm' to): everything of
 * the browser entry, plus reading data files (CSV and other delimited text,
 * Parquet, Arrow IPC, standard input) from @glmm/node-io.
 */
export * from './index.js';
export { readCsvFile, readDataFile } from '@glmm/node-io';
export type { ReadDataOptions } from '@glmm/node-io';
