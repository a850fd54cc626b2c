export { buildResults } from './build-results.js';
export type { ResultsMeta } from './build-results.js';
export { varianceComponentRows } from './variance-components.js';
export { iccRows, groupVariances, meanFixedEta } from './icc.js';
export type { IccResult } from './icc.js';
export { buildDiagnostics, randomEffectRows, randomEffectKeys } from './diagnostics.js';
export type { DiagnosticsModel } from './diagnostics.js';
export { observedLevels } from './observed-levels.js';
export { assertJsonSafe, nonFinitePaths } from './json-safety.js';
export {
  dnorm as normalDensity,
  normalUpperTail,
  pnorm as normalCdf,
  qnorm as normalQuantile,
  twoSidedPValue,
} from '@glmm/distributions';
export { resultsSchema, WARNING_CODES } from './results-schema.js';
export { validateResults } from './validate-results.js';
export type { ValidationOutcome } from './validate-results.js';
export { formatNumber, formatPValue, formatColumn, alignTable } from './format.js';
export { escapeHtml } from './html-escape.js';
export { scatterSvg, histogramSvg } from './svg-plots.js';
export { methodTitle, varCorrLines } from './summary-model.js';
export type { VarCorrLine } from './summary-model.js';
export { textReporter, renderText } from './text-reporter.js';
export { jsonReporter, renderJson, toJsonContract } from './json-reporter.js';
export type { JsonResults } from './json-reporter.js';
export { htmlReporter, renderHtml } from './html-reporter.js';
export { reportBundle } from './bundle.js';
