/**
 * Node-only data input: files, standard input, Parquet and Arrow IPC.
 * The pure parsers (text or bytes to a DataTable) live in @glmm/formula,
 * which stays free of Node imports so that it runs in a browser.
 */
export { readDataFile, readDataBytes, readDataStdin, readCsvFile } from './read-data.js';
export type { ReadDataOptions } from './read-data.js';
export { readFileBytes, readStdinBytes, fileErrorReason } from './file-bytes.js';
export { formatFromBytes, formatFromPath, delimiterFromPath } from './data-format.js';
export type { DataFormat } from './data-format.js';
export { tableFromArrow, tableFromArrowIpc } from './arrow-table.js';
export { tableFromParquet } from './parquet-table.js';
