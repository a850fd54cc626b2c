/**
 * @glmm/formula for Node (what Node resolves '@glmm/formula' to, and
 * '@glmm/formula/node'): the main entry plus reading files.  The main entry
 * imports nothing Node-only, so it bundles for a browser or a worker.
 */
export * from './index.js';
export { readCsvFile } from './csv-file.js';
