import type { Family } from '@glmm/core';
import {
  binomialAic,
  binomialCheckResponse,
  binomialDevResiduals,
  binomialStartingMu,
  binomialValidMu,
  binomialVariance,
  binomialVarianceDerivative,
} from './binomial-math.js';
import { binomialLatentVariance } from './latent-variance.js';

/** R's binomial(): y the proportion of successes, wt the trials (times any prior weight). */
export const binomialFamily: Family = {
  name: 'binomial',
  canonicalLink: 'logit',
  allowedLinks: ['logit', 'probit', 'cloglog', 'loglog', 'log', 'identity'],
  hasDispersion: false,
  variance: binomialVariance,
  varianceDerivative: binomialVarianceDerivative,
  devResiduals: binomialDevResiduals,
  aic: binomialAic,
  validMu: binomialValidMu,
  checkResponse: binomialCheckResponse,
  startingMu: binomialStartingMu,
  latentResidualVariance: binomialLatentVariance,
};
