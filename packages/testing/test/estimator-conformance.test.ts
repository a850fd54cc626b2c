import { fixtureNames } from '@glmm/datasets';
import { resultsFromReference, runEstimatorConformance } from '@glmm/testing';

// The wiring of the estimator suite: a "fit" that returns lme4's own answer passes every fixture.
runEstimatorConformance(
  'lme4 reference copied into the results contract',
  fixtureNames().map((fixture) => ({ fixture, fit: (f) => resultsFromReference(f.reference) })),
);
