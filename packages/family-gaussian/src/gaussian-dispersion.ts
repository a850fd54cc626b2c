import type { Family, FamilyParameter, ParameterDerivatives } from '@glmm/core';
import { gaussianDevResiduals } from './gaussian-math.js';

/**
 * The gaussian family with its variance phi = sigma^2 fixed, for GLMMs with
 * a non-identity link fitted with the dispersion by maximum likelihood
 * (glmmTMB's gaussian) instead of lme4's estimate inside the deviance:
 * Var y = phi / w, deviance residuals w (y - mu)^2 / phi, and `aic` the exact
 * -2 log-likelihood sum [w (y - mu)^2 / phi + log(2 pi phi) - log w].
 * (Gaussian models with the identity link are fitted by REML/ML, which
 * profile sigma in closed form.)
 */
export function gaussianWithDispersion(base: Family, phi: number): Family {
  if (!(phi > 0 && Number.isFinite(phi))) throw new RangeError(`the gaussian dispersion must be a positive number, got ${phi}`);
  const { parameter: _, ...rest } = base;
  return {
    ...rest,
    hasDispersion: false,
    variance(mu, out) {
      const r = out ?? new Float64Array(mu.length);
      r.fill(phi, 0, mu.length);
      return r;
    },
    devResiduals(y, mu, wt, out) {
      const r = gaussianDevResiduals(y, mu, wt, out);
      for (let i = 0; i < r.length; i++) r[i]! /= phi;
      return r;
    },
    // Its variance holds phi already, so a caller's dispersion (1 for a family without one) scales phi.
    ...(base.simulate ? { simulate: (mu, wt, dispersion, random, out) => base.simulate!(mu, wt, phi * dispersion, random, out) } : {}),
    // The plugin's latent variance reads the dispersion from the fit; fixed here, it is phi.
    latentResidualVariance: (link, context) => base.latentResidualVariance(link, { ...context, dispersion: phi }),
    aic(y, _n, mu, wt) {
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        const d = y[i]! - mu[i]!;
        s += (wt[i]! * d * d) / phi + Math.log(2 * Math.PI * phi) - Math.log(wt[i]!);
      }
      return s;
    },
  };
}

/**
 * Derivatives in log(phi) at fixed mu (FamilyParameter.derivativesInLog):
 * -2 log f = w (y - mu)^2 / phi + log(2 pi phi) - log w, so 1 - w (y - mu)^2 / phi;
 * V = phi (the weights carry w), dV/dmu = 0.
 */
export function gaussianDispersionDerivatives(phi: number, y: Float64Array, mu: Float64Array, wt: Float64Array, out: ParameterDerivatives): void {
  const { minusTwoLogLik: a, variance: v, varianceDerivative: dv } = out;
  for (let i = 0; i < y.length; i++) {
    const d = y[i]! - mu[i]!;
    a[i] = 1 - (wt[i]! * d * d) / phi;
    v[i] = phi;
    dv[i] = 0;
  }
}

/** The dispersion sigma^2 as an ML parameter (FitOptions.dispersion = "ml"), starting at sum w (y - mu)^2 / n. */
export function gaussianDispersionParameter(family: () => Family): FamilyParameter {
  return {
    name: 'dispersion',
    required: false,
    isDispersion: true,
    lower: 0,
    upper: Infinity,
    start(y, mu, wt) {
      let s = 0;
      for (let i = 0; i < y.length; i++) s += wt[i]! * (y[i]! - mu[i]!) ** 2;
      const phi = s / y.length;
      return phi > 0 && Number.isFinite(phi) ? phi : 1;
    },
    at: (phi) => gaussianWithDispersion(family(), phi),
    derivativesInLog: gaussianDispersionDerivatives,
  };
}
