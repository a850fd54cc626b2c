import { covarianceBundle } from '@glmm/covariance';
import { mlEstimator, remlEstimator } from '@glmm/estimator-reml';
import { familyGaussianBundle } from '@glmm/family-gaussian';
import { linksBundle } from '@glmm/links';
import { optimizerBundle } from '@glmm/optimizer';
import { runEstimatorPluginConformance } from '@glmm/testing';

const bundles = [linksBundle, familyGaussianBundle, covarianceBundle, optimizerBundle];

runEstimatorPluginConformance(remlEstimator, { bundles });
runEstimatorPluginConformance(mlEstimator, { bundles });
