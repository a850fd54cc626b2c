/**
 * @glmm/glmm for Node (what Node resolves '@glmm/glmm' to): everything of
 * the browser entry, plus reading data files.
 */
export * from './index.js';
export { readCsvFile } from '@glmm/formula/node';
