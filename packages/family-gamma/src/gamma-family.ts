import type { Family } from '@glmm/core';
import {
  gammaAic,
  gammaCheckResponse,
  gammaDevResiduals,
  gammaStartingMu,
  gammaValidMu,
  gammaVariance,
  gammaVarianceDerivative,
} from './gamma-math.js';
import { gammaDispersionParameter } from './gamma-dispersion.js';
import { gammaLatentVariance } from './latent-variance.js';
import { gammaSimulate } from './gamma-simulate.js';

/** R's Gamma(): inverse canonical; identity and log as R allows them.  Named "gamma" as users type it. */
export const gammaFamily: Family = {
  name: 'gamma',
  canonicalLink: 'inverse',
  allowedLinks: ['inverse', 'identity', 'log'],
  meanSpace: { lower: 0, upper: Infinity },
  hasDispersion: true,
  isCanonical: (link) => link.name === 'inverse',
  variance: gammaVariance,
  varianceDerivative: gammaVarianceDerivative,
  devResiduals: gammaDevResiduals,
  aic: gammaAic,
  validMu: gammaValidMu,
  checkResponse: gammaCheckResponse,
  startingMu: gammaStartingMu,
  simulate: gammaSimulate,
  latentResidualVariance: gammaLatentVariance,
  // The dispersion by ML when asked (FitOptions.dispersion = 'ml'); lme4's moment estimate otherwise.
  parameter: gammaDispersionParameter(() => gammaFamily),
};
