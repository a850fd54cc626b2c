import { fixtureNames, loadFixture, type Fixture } from '@glmm/datasets';
import { fitGlmm, readCsvFile } from '@glmm/glmm';
import { runEstimatorConformance } from '@glmm/testing';

/**
 * For a linear mixed model the working response is the response and the
 * working weights the prior weights, so MPL is ML and REMPL is REML: both
 * must reproduce lme4's Gaussian fixtures with the shared rules.  (PQL is
 * ML too, but reports nlme's standard errors, sqrt(n / (n - p)) larger than
 * lme4's: its references are glmmPQL's, in r-references.test.ts.)
 */
const gaussian = fixtureNames()
  .map(loadFixture)
  .filter((f) => f.reference.family === 'gaussian');

function fitAs(method: 'mpl' | 'rempl') {
  return (fixture: Fixture) =>
    fitGlmm({
      formula: fixture.reference.formula,
      data: readCsvFile(fixture.csvPath),
      family: 'gaussian',
      method,
      categorical: Object.entries(fixture.reference.column_types)
        .filter(([, t]) => t === 'categorical')
        .map(([c]) => c),
    });
}

runEstimatorConformance('pseudo-likelihood on linear mixed models (MPL = ML, REMPL = REML)', [
  ...gaussian.filter((f) => f.reference.method === 'ML').map((f) => ({ fixture: f.name, fit: fitAs('mpl') })),
  ...gaussian.filter((f) => f.reference.method === 'REML').map((f) => ({ fixture: f.name, fit: fitAs('rempl') })),
]);
