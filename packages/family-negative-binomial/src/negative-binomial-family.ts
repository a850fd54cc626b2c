import type { Family, FamilyParameter } from '@glmm/core';
import { nbLatentVariance } from './latent-variance.js';
import {
  nbCheckResponse,
  nbDevResidualAt,
  nbDevResiduals,
  nbMinusTwoLogLik,
  nbStartingMu,
  nbValidMu,
  nbVariance,
  nbVarianceAt,
  nbVarianceDerivative,
} from './negative-binomial-math.js';
import { nbSimulate } from './negative-binomial-simulate.js';
import { nbShapeDerivatives } from './shape-derivatives.js';
import { shapeStart } from './shape-start.js';

const NAME = 'negative_binomial';
/** MASS's negative.binomial(): log, sqrt and identity. */
const LINKS = ['log', 'sqrt', 'identity'] as const;
const POSITIVE = { lower: 0, upper: Infinity } as const;

/**
 * The NB2 family at shape theta (Var = mu + mu^2/theta), MASS's
 * negative.binomial(theta): deviance residuals and the exact -2 log-likelihood
 * at that shape, no dispersion.  theta = Infinity is the Poisson limit.
 *
 * Its canonical link is log(mu / (mu + theta)), not log: with the log link
 * the observed information of a row, (y + theta) mu theta / (mu + theta)^2,
 * differs from the expected one, mu theta / (mu + theta), so kernels that
 * rely on their equality (Family.isCanonical) must not take this family's
 * log link for canonical; only the Poisson limit declares it.
 */
export function negativeBinomialAt(theta: number): Family {
  if (!(theta > 0)) throw new RangeError(`the negative binomial shape must be positive, got ${theta}`);
  return {
    name: NAME,
    canonicalLink: theta === Infinity ? 'log' : 'log(mu/(mu+theta))',
    allowedLinks: LINKS,
    meanSpace: POSITIVE,
    // Only the Poisson limit has log as its canonical link (see above).
    isCanonical: (link) => theta === Infinity && link.name === 'log',
    logLinearWithCanonicalLink: theta === Infinity,
    hasDispersion: false,
    variance: (mu, out) => nbVariance(mu, theta, out),
    varianceDerivative: (mu, out) => nbVarianceDerivative(mu, theta, out),
    varianceAt: (mu, out) => nbVarianceAt(mu, theta, out),
    devResiduals: (y, mu, wt, out) => nbDevResiduals(y, mu, wt, theta, out),
    devResidualAt: (y, mu, wt) => nbDevResidualAt(y, mu, wt, theta),
    aic: (y, _n, mu, wt) => nbMinusTwoLogLik(y, mu, wt, theta),
    validMu: nbValidMu,
    checkResponse: nbCheckResponse,
    startingMu: nbStartingMu,
    simulate: (mu, _wt, _dispersion, random, out) => nbSimulate(mu, theta, random, out),
    latentResidualVariance: (link, context) => nbLatentVariance(theta, link, context),
  };
}

/** The shape, estimated by maximum likelihood (glmer.nb, glmmTMB's nbinom2). */
export const negativeBinomialShape: FamilyParameter = {
  name: 'shape',
  required: true,
  lower: 0,
  upper: Infinity,
  start: shapeStart,
  at: negativeBinomialAt,
  derivativesInLog: nbShapeDerivatives,
};

/**
 * The plugin "negative_binomial": its shape is a parameter the estimator
 * fits by maximum likelihood through `parameter.at(theta)`.  Until then it
 * is the Poisson limit (theta = Infinity), the model glmer.nb starts from, so
 * a GLM start on it is a Poisson fit and `parameter.start` takes the shape
 * from there.  The log link is the default, canonical in that limit.
 */
export const negativeBinomialFamily: Family = {
  ...negativeBinomialAt(Infinity),
  parameter: negativeBinomialShape,
};
