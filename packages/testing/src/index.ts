export { runLinkConformance } from './link-conformance.js';
export type { LinkConformanceOptions } from './link-conformance.js';
export { runFamilyConformance } from './family-conformance.js';
export type {
  FamilyConformanceCases,
  FamilyKnownValue,
  LatentVarianceCase,
  FamilyParameterCases,
  AtCase,
} from './family-conformance.js';
export { runLinkPairConformance, EXTREME_ETA } from './family-link-pairs.js';
export type { LinkPairCases } from './family-link-pairs.js';
export { linkCatalogue, testLinksBundle, POWER_EXPONENTS } from './link-catalogue.js';
export type { CatalogueLink } from './link-catalogue.js';
export { softplusLink, undeclaredLogLink } from './test-links.js';
export { runEstimatorConformance, runEstimatorPluginConformance, fixtureProblem } from './estimator-conformance.js';
export type { EstimatorCase, EstimatorPluginOptions } from './estimator-conformance.js';
export { compareToReference } from './compare-to-reference.js';
export { TOLERANCES } from './tolerances.js';
export { resultsFromReference } from './synthetic-results.js';
export { runCovarianceConformance } from './covariance-conformance.js';
export type { CovarianceConformanceOptions } from './covariance-conformance.js';
export { runReporterConformance } from './reporter-conformance.js';
export type { ReporterConformanceOptions } from './reporter-conformance.js';
