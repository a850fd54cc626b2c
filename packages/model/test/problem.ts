import { createContainer, DEFAULT_FIT_OPTIONS, listPlugins, resolvePlugin, type FitProblem } from '@glmm/core';
import { covarianceBundle } from '@glmm/covariance';
import { examples, loadFixture } from '@glmm/datasets';
import { estimatorLaplaceBundle } from '@glmm/estimator-laplace';
import { estimatorRemlBundle } from '@glmm/estimator-reml';
import { familyBinomialBundle } from '@glmm/family-binomial';
import { familyGammaBundle } from '@glmm/family-gamma';
import { familyGaussianBundle } from '@glmm/family-gaussian';
import { familyPoissonBundle } from '@glmm/family-poisson';
import { buildModel, type BuildOptions } from '@glmm/formula';
import { readCsvFile } from '@glmm/node-io';
import { linksBundle } from '@glmm/links';
import { optimizerBundle } from '@glmm/optimizer';

export const container = createContainer(
  linksBundle,
  familyGaussianBundle,
  familyBinomialBundle,
  familyPoissonBundle,
  familyGammaBundle,
  covarianceBundle,
  optimizerBundle,
  estimatorRemlBundle,
  estimatorLaplaceBundle,
);

/** A FitProblem built the way fitGlmm builds it, from plugins registered here. */
export function problemFor(csvPath: string, formula: string, family: string, build: BuildOptions = {}): FitProblem {
  const model = buildModel(formula, readCsvFile(csvPath), build);
  const fam = resolvePlugin(container, 'family', family);
  return {
    model,
    family: fam,
    link: resolvePlugin(container, 'link', fam.canonicalLink),
    covariances: model.terms.map((t) => resolvePlugin(container, 'covariance', t.covariance)),
    optimizers: listPlugins(container, 'optimizer').map((name) => resolvePlugin(container, 'optimizer', name)),
    options: DEFAULT_FIT_OPTIONS,
  };
}

export const sleepstudyCsv = examples.sleepstudy.csvPath;
export const cbppCsv = examples.cbpp.csvPath;
export const fixtureCsv = (name: string): string => loadFixture(name).csvPath;
