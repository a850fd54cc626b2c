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
export { alignTable } from './format.js';
export type { Align } from './format.js';
export { formatR, formatRNumber, formatPValueR, coefficientColumns, coefScaleColumns, roundR } from './r-format.js';
export type { CoefficientTable } from './r-format.js';
export { escapeHtml } from './html-escape.js';
export { methodTitle, varCorrLines } from './summary-model.js';
export type { VarCorrLine } from './summary-model.js';
export { textReporter, renderText, TEXT_STYLES } from './text-reporter.js';
export { renderFitglmeText, shortG } from './fitglme-text.js';
export { iccBand } from './icc-band.js';
export type { IccBand } from './icc-band.js';
export { modelInformation } from './model-information.js';
export type { ModelInformation } from './model-information.js';
export { reportRows } from './report-rows.js';
export { planFigures, renderFigures } from './plots/report-plots.js';
export type { Figure, PlannedFigure } from './plots/report-plots.js';
export { renderSvg } from './plots/render-svg.js';
export { jsonReporter, renderJson, toJsonContract, withJsonContract } from './json-reporter.js';
export type { JsonResults } from './json-reporter.js';
export { htmlReporter, renderHtml } from './html-reporter.js';
export { reportBundle } from './bundle.js';
