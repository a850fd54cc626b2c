import { diagonalCovariance, unstructuredCovariance } from '@glmm/covariance';
import { runCovarianceConformance } from '@glmm/testing';

runCovarianceConformance(unstructuredCovariance);
runCovarianceConformance(diagonalCovariance);
