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
import { gaussianDispersionParameter } from './gaussian-dispersion.js';
import { gaussianLatentVariance } from './latent-variance.js';
import { gaussianSimulate } from './gaussian-simulate.js';

/** R's gaussian(): identity is canonical; log and inverse as R allows them. */
export const gaussianFamily: Family = {
  name: 'gaussian',
  canonicalLink: 'identity',
  allowedLinks: ['identity', 'log', 'inverse'],
  meanSpace: { lower: -Infinity, upper: Infinity },
  hasDispersion: true,
  isCanonical: (link) => link.name === 'identity',
  // Normal with constant variance: the identity link gives a linear mixed model (REML/ML).
  linearWithCanonicalLink: true,
  variance: gaussianVariance,
  varianceDerivative: gaussianVarianceDerivative,
  devResiduals: gaussianDevResiduals,
  aic: gaussianAic,
  validMu: gaussianValidMu,
  checkResponse: gaussianCheckResponse,
  startingMu: gaussianStartingMu,
  simulate: gaussianSimulate,
  latentResidualVariance: gaussianLatentVariance,
  // sigma^2 by ML for non-identity links when asked (FitOptions.dispersion = 'ml').
  parameter: gaussianDispersionParameter(() => gaussianFamily),
};
