import type { PluginBundle } from '@glmm/core';
import { covarianceBundle } from '@glmm/covariance';
import { estimatorLaplaceBundle } from '@glmm/estimator-laplace';
import { estimatorPqlBundle } from '@glmm/estimator-pql';
import { estimatorRemlBundle } from '@glmm/estimator-reml';
import { familyBinomialBundle } from '@glmm/family-binomial';
import { familyGammaBundle } from '@glmm/family-gamma';
import { familyGaussianBundle } from '@glmm/family-gaussian';
import { familyInverseGaussianBundle } from '@glmm/family-inverse-gaussian';
import { familyNegativeBinomialBundle } from '@glmm/family-negative-binomial';
import { familyPoissonBundle } from '@glmm/family-poisson';
import { linksBundle } from '@glmm/links';
import { optimizerBundle } from '@glmm/optimizer';
import { reportBundle } from '@glmm/report';

/** Every plugin bundle shipped with the platform, in registration order. */
export const defaultBundles: readonly PluginBundle[] = [
  linksBundle,
  familyGaussianBundle,
  familyBinomialBundle,
  familyPoissonBundle,
  familyGammaBundle,
  familyNegativeBinomialBundle,
  familyInverseGaussianBundle,
  covarianceBundle,
  optimizerBundle,
  estimatorRemlBundle,
  estimatorLaplaceBundle,
  estimatorPqlBundle,
  reportBundle,
];
