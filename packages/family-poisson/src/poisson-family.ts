import type { Family } from '@glmm/core';
import {
  poissonAic,
  poissonCheckResponse,
  poissonDevResidualAt,
  poissonDevResiduals,
  poissonStartingMu,
  poissonValidMu,
  poissonVariance,
  poissonVarianceAt,
  poissonVarianceDerivative,
} from './poisson-math.js';
import { poissonLatentVariance } from './latent-variance.js';
import { poissonSimulate } from './poisson-simulate.js';

/** R's poisson(): log canonical; identity and sqrt as R allows them. */
export const poissonFamily: Family = {
  name: 'poisson',
  canonicalLink: 'log',
  allowedLinks: ['log', 'identity', 'sqrt'],
  meanSpace: { lower: 0, upper: Infinity },
  hasDispersion: false,
  isCanonical: (link) => link.name === 'log',
  // -2 log p = 2 w (exp(eta) - y eta) + c(y) under the log link: sums per group suffice.
  logLinearWithCanonicalLink: true,
  variance: poissonVariance,
  varianceDerivative: poissonVarianceDerivative,
  varianceAt: poissonVarianceAt,
  devResiduals: poissonDevResiduals,
  devResidualAt: poissonDevResidualAt,
  aic: poissonAic,
  validMu: poissonValidMu,
  checkResponse: poissonCheckResponse,
  startingMu: poissonStartingMu,
  simulate: poissonSimulate,
  latentResidualVariance: poissonLatentVariance,
};
