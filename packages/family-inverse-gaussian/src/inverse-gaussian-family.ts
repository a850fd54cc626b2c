import type { Family, FamilyParameter, Link } from '@glmm/core';
import {
  igCheckResponse,
  igDevResidualAt,
  igDevResiduals,
  igDispersionStart,
  igMinusTwoLogLik,
  igProfileAic,
  igStartingMu,
  igValidMu,
  igVariance,
  igVarianceAt,
  igVarianceDerivative,
} from './inverse-gaussian-math.js';
import { igDispersionDerivatives } from './dispersion-derivatives.js';
import { igSimulate } from './inverse-gaussian-simulate.js';
import { igLatentVariance } from './latent-variance.js';

const NAME = 'inverse_gaussian';
/** R's inverse.gaussian(): 1/mu^2 canonical; inverse, identity and log. */
const LINKS = ['1/mu^2', 'inverse', 'identity', 'log'] as const;
const POSITIVE = { lower: 0, upper: Infinity } as const;

/** What the family shares at every dispersion. */
const common = {
  name: NAME,
  canonicalLink: '1/mu^2',
  allowedLinks: LINKS,
  meanSpace: POSITIVE,
  isCanonical: (link: Link) => link.name === '1/mu^2',
  validMu: igValidMu,
  checkResponse: igCheckResponse,
  startingMu: igStartingMu,
} as const;

/**
 * The inverse Gaussian at a fixed dispersion phi: variance phi mu^3,
 * deviance residuals d(y, mu)/phi (the unit deviance over phi) and `aic`
 * the exact -2 log-likelihood, so an estimator treats it as a family without
 * a dispersion of its own.  1/mu^2 stays canonical at any phi (eta is -2 times
 * the natural parameter), so observed and expected information agree there.
 */
export function inverseGaussianAt(phi: number): Family {
  if (!(phi > 0 && Number.isFinite(phi))) throw new RangeError(`the inverse Gaussian dispersion must be positive and finite, got ${phi}`);
  return {
    ...common,
    hasDispersion: false,
    variance: (mu, out) => igVariance(mu, phi, out),
    varianceDerivative: (mu, out) => igVarianceDerivative(mu, phi, out),
    varianceAt: (mu, out) => igVarianceAt(mu, phi, out),
    devResiduals: (y, mu, wt, out) => igDevResiduals(y, mu, wt, phi, out),
    devResidualAt: (y, mu, wt) => igDevResidualAt(y, mu, wt, phi),
    aic: (y, _n, mu, wt) => igMinusTwoLogLik(y, mu, wt, phi),
    // phi is held here: a caller's dispersion (1 for a family without one) scales it.
    simulate: (mu, wt, dispersion, random, out) => igSimulate(mu, wt, phi * dispersion, random, out),
    latentResidualVariance: (link, context) => igLatentVariance(phi, link, context),
  };
}

/** The dispersion, estimated by true maximum likelihood beside theta and beta. */
export const inverseGaussianDispersion: FamilyParameter = {
  name: 'dispersion',
  required: true,
  isDispersion: true,
  lower: 0,
  upper: Infinity,
  start: igDispersionStart,
  at: inverseGaussianAt,
  derivativesInLog: igDispersionDerivatives,
};

/**
 * The plugin "inverse_gaussian": R's inverse.gaussian() (variance function
 * mu^3, unit deviance, `aic` at the dispersion's ML value for the given
 * means), with the dispersion a parameter the estimator fits by maximum
 * likelihood through `parameter.at(phi)`.
 */
export const inverseGaussianFamily: Family = {
  ...common,
  hasDispersion: true,
  variance: (mu, out) => igVariance(mu, 1, out),
  varianceDerivative: (mu, out) => igVarianceDerivative(mu, 1, out),
  varianceAt: (mu, out) => igVarianceAt(mu, 1, out),
  devResiduals: (y, mu, wt, out) => igDevResiduals(y, mu, wt, 1, out),
  devResidualAt: (y, mu, wt) => igDevResidualAt(y, mu, wt, 1),
  aic: (y, _n, _mu, wt, dev) => igProfileAic(y, wt, dev),
  simulate: igSimulate,
  latentResidualVariance: (link, context) => igLatentVariance(context.dispersion, link, context),
  parameter: inverseGaussianDispersion,
};
