export { runLinkConformance } from './link-conformance.js';
export type { LinkConformanceOptions } from './link-conformance.js';
export { runFamilyConformance } from './family-conformance.js';
export type { FamilyConformanceCases, FamilyKnownValue, LatentVarianceCase } from './family-conformance.js';
export { runEstimatorConformance } from './estimator-conformance.js';
export type { EstimatorCase } from './estimator-conformance.js';
export { compareToReference } from './compare-to-reference.js';
export { TOLERANCES } from './tolerances.js';
export { resultsFromReference } from './synthetic-results.js';
