/**
 * The plugins this page ships: Gaussian, binomial and Poisson families with
 * every link, REML/ML and Laplace/AGQ estimators, the optimisers and the
 * covariance structures.  The Gamma family and the reporter plugins are left
 * out (the worker calls the HTML renderer itself): a bundler drops what is
 * not registered here, since @glmm/glmm/base imports no plugin.
 */
import { createContainer } from '@glmm/glmm/base';
import { covarianceBundle } from '@glmm/covariance';
import { estimatorLaplaceBundle } from '@glmm/estimator-laplace';
import { estimatorRemlBundle } from '@glmm/estimator-reml';
import { familyBinomialBundle } from '@glmm/family-binomial';
import { familyGaussianBundle } from '@glmm/family-gaussian';
import { familyPoissonBundle } from '@glmm/family-poisson';
import { linksBundle } from '@glmm/links';
import { optimizerBundle } from '@glmm/optimizer';

export const webContainer = createContainer(
  linksBundle,
  familyGaussianBundle,
  familyBinomialBundle,
  familyPoissonBundle,
  covarianceBundle,
  optimizerBundle,
  estimatorRemlBundle,
  estimatorLaplaceBundle,
);
