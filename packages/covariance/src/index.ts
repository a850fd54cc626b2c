import { defineBundle, definePlugin } from '@glmm/core';
import { diagonalCovariance } from './diagonal.js';
import { unstructuredCovariance } from './unstructured.js';

export { unstructuredCovariance, diagonalCovariance };

export const covarianceBundle = defineBundle('@glmm/covariance', [
  definePlugin('covariance', 'unstructured', unstructuredCovariance),
  definePlugin('covariance', 'diagonal', diagonalCovariance),
]);
