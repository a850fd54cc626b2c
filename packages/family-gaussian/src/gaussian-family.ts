import type { Family } from '@glmm/core';
import {
  gaussianAic,
  gaussianCheckResponse,
  gaussianDevResiduals,
  gaussianStartingMu,
  gaussianValidMu,
  gaussianVariance,
  gaussianVarianceDerivative,
} from './gaussian-math.js';
import { gaussianLatentVariance } from './latent-variance.js';
import { gaussianSimulate } from './gaussian-simulate.js';

/** R's gaussian(): identity is canonical; log and inverse as R allows them. */
export const gaussianFamily: Family = {
  name: 'gaussian',
  canonicalLink: 'identity',
  allowedLinks: ['identity', 'log', 'inverse'],
  hasDispersion: true,
  variance: gaussianVariance,
  varianceDerivative: gaussianVarianceDerivative,
  devResiduals: gaussianDevResiduals,
  aic: gaussianAic,
  validMu: gaussianValidMu,
  checkResponse: gaussianCheckResponse,
  startingMu: gaussianStartingMu,
  simulate: gaussianSimulate,
  latentResidualVariance: gaussianLatentVariance,
};
