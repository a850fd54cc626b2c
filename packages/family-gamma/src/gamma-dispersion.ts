import type { Family, FamilyParameter, ParameterDerivatives } from '@glmm/core';
import { dgammaLog, digamma } from '@glmm/distributions';
import { gammaDevResiduals, gammaVariance, gammaVarianceDerivative } from './gamma-math.js';

/**
 * The Gamma family with its dispersion phi fixed (shape 1/phi), for fits
 * that estimate phi by maximum likelihood (glmmTMB's Gamma) instead of
 * lme4's moment estimate inside the deviance: Var y = phi mu^2, the deviance
 * residuals are the unit deviances over phi, and `aic` is the exact
 * -2 log-likelihood sum w log dgamma(y; 1/phi, scale = mu phi).
 */
export function gammaWithDispersion(base: Family, phi: number): Family {
  if (!(phi > 0 && Number.isFinite(phi))) throw new RangeError(`the Gamma dispersion must be a positive number, got ${phi}`);
  const shape = 1 / phi;
  const { parameter: _, ...rest } = base;
  return {
    ...rest,
    hasDispersion: false,
    variance(mu, out) {
      const r = gammaVariance(mu, out);
      for (let i = 0; i < r.length; i++) r[i]! *= phi;
      return r;
    },
    varianceDerivative(mu, out) {
      const r = gammaVarianceDerivative(mu, out);
      for (let i = 0; i < r.length; i++) r[i]! *= phi;
      return r;
    },
    devResiduals(y, mu, wt, out) {
      const r = gammaDevResiduals(y, mu, wt, out);
      for (let i = 0; i < r.length; i++) r[i]! *= shape;
      return r;
    },
    // Its variance holds phi already, so a caller's dispersion (1 for a family without one) scales phi.
    ...(base.simulate ? { simulate: (mu, wt, dispersion, random, out) => base.simulate!(mu, wt, phi * dispersion, random, out) } : {}),
    // The plugin's latent variance reads the dispersion from the fit; fixed here, it is phi.
    latentResidualVariance: (link, context) => base.latentResidualVariance(link, { ...context, dispersion: phi }),
    aic(y, _n, mu, wt) {
      let sum = 0;
      for (let i = 0; i < y.length; i++) {
        const w = wt[i]!;
        if (w !== 0) sum += w * dgammaLog(y[i]!, shape, mu[i]! * phi);
      }
      return -2 * sum;
    },
  };
}

/**
 * Derivatives in log(phi) at fixed mu (FamilyParameter.derivativesInLog).
 * With shape k = 1/phi, log f = k log(k y / mu) - log Gamma(k) - log y - k y / mu,
 * d log f / dk = log(k y / mu) + 1 - psi(k) - y / mu and dk / dlog phi = -k;
 * V = phi mu^2 and dV/dmu are proportional to phi, so their derivatives are themselves.
 */
export function gammaDispersionDerivatives(phi: number, y: Float64Array, mu: Float64Array, wt: Float64Array, out: ParameterDerivatives): void {
  const { minusTwoLogLik: a, variance: v, varianceDerivative: dv } = out;
  const k = 1 / phi;
  const psiK = digamma(k);
  for (let i = 0; i < y.length; i++) {
    const m = mu[i]!;
    const ratio = y[i]! / m;
    const w = wt[i]!;
    a[i] = w === 0 ? 0 : 2 * w * k * (Math.log(k * ratio) + 1 - psiK - ratio);
    v[i] = phi * m * m;
    dv[i] = 2 * phi * m;
  }
}

/**
 * The dispersion as a parameter estimated by ML (FitOptions.dispersion =
 * "ml"): optional for the Gamma family, whose default is lme4's moment
 * estimate.  It starts at the Pearson estimate sum w (y - mu)^2 / mu^2 / sum w.
 */
export function gammaDispersionParameter(family: () => Family): FamilyParameter {
  return {
    name: 'dispersion',
    required: false,
    isDispersion: true,
    lower: 0,
    upper: Infinity,
    start(y, mu, wt) {
      let s = 0;
      let sw = 0;
      for (let i = 0; i < y.length; i++) {
        const e = (y[i]! - mu[i]!) / mu[i]!;
        s += wt[i]! * e * e;
        sw += wt[i]!;
      }
      const phi = s / sw;
      return phi > 0 && Number.isFinite(phi) ? phi : 1;
    },
    at: (phi) => gammaWithDispersion(family(), phi),
    derivativesInLog: gammaDispersionDerivatives,
  };
}

