import type { Family } from '@glmm/core';
import {
  binomialAic,
  binomialCheckResponse,
  binomialDevResidualAt,
  binomialDevResiduals,
  binomialStartingMu,
  binomialValidMu,
  binomialVariance,
  binomialVarianceAt,
  binomialVarianceDerivative,
} from './binomial-math.js';
import { binomialLatentVariance } from './latent-variance.js';
import { binomialSimulate } from './binomial-simulate.js';

/** R's binomial(): y the proportion of successes, wt the trials (times any prior weight). */
export const binomialFamily: Family = {
  name: 'binomial',
  canonicalLink: 'logit',
  allowedLinks: ['logit', 'probit', 'cloglog', 'loglog', 'log', 'identity'],
  meanSpace: { lower: 0, upper: 1 },
  hasDispersion: false,
  isCanonical: (link) => link.name === 'logit',
  variance: binomialVariance,
  varianceDerivative: binomialVarianceDerivative,
  varianceAt: binomialVarianceAt,
  devResiduals: binomialDevResiduals,
  devResidualAt: binomialDevResidualAt,
  aic: binomialAic,
  validMu: binomialValidMu,
  checkResponse: binomialCheckResponse,
  startingMu: binomialStartingMu,
  simulate: binomialSimulate,
  latentResidualVariance: binomialLatentVariance,
};
