import { covarianceBundle } from '@glmm/covariance';
import { agqEstimator, laplaceEstimator } from '@glmm/estimator-laplace';
import { familyBinomialBundle } from '@glmm/family-binomial';
import { familyGammaBundle } from '@glmm/family-gamma';
import { familyGaussianBundle } from '@glmm/family-gaussian';
import { familyPoissonBundle } from '@glmm/family-poisson';
import { linksBundle } from '@glmm/links';
import { optimizerBundle } from '@glmm/optimizer';
import { runEstimatorPluginConformance } from '@glmm/testing';

const bundles = [linksBundle, familyBinomialBundle, familyPoissonBundle, familyGammaBundle, familyGaussianBundle, covarianceBundle, optimizerBundle];

runEstimatorPluginConformance(laplaceEstimator, { bundles });
runEstimatorPluginConformance(agqEstimator, { bundles });
