import type { Link } from '@glmm/core';
import { DBL_EPSILON, fastExp, outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { UNIT } from './intervals.js';

/*
 * As R's family.c: beyond |eta| = 30 the odds are frozen at DBL_EPSILON or
 * 1/DBL_EPSILON, so mu stays strictly inside (0, 1) and 1 - mu never rounds
 * to 0; mu.eta is floored at DBL_EPSILON there so IRLS weights stay positive.
 */
const THRESH = 30;
const MTHRESH = -30;
const INVEPS = 1 / DBL_EPSILON;
// One division per eta, shared by mu, mu.eta and its derivative (divisions dominate these loops after exp).
const MU_LOW = DBL_EPSILON * (1 / (1 + DBL_EPSILON));
const MU_HIGH = INVEPS * (1 / (1 + INVEPS));

export function logitLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    r[i] = Math.log(m / (1 - m));
  }
  return r;
}

export function logitLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    const odds = e < MTHRESH ? DBL_EPSILON : e > THRESH ? INVEPS : fastExp(e);
    r[i] = odds * (1 / (1 + odds));
  }
  return r;
}

export function logitMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    if (e > THRESH || e < MTHRESH) {
      r[i] = DBL_EPSILON;
    } else {
      const ex = fastExp(e);
      const inv = 1 / (1 + ex);
      r[i] = ex * inv * inv;
    }
  }
  return r;
}

/** d/d eta of mu (1 - mu) = mu (1 - mu)(1 - 2 mu); 0 beyond |eta| = 30, where mu.eta is constant. */
/** mu and mu.eta from one exp, with the same thresholds as logitLinkinv and logitMuEta. */
export function logitLinkinvAndMuEta(eta: Float64Array, mu: Float64Array, muEta: Float64Array): void {
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    if (e < MTHRESH) {
      mu[i] = MU_LOW;
      muEta[i] = DBL_EPSILON;
    } else if (e > THRESH) {
      mu[i] = MU_HIGH;
      muEta[i] = DBL_EPSILON;
    } else {
      const ex = fastExp(e);
      const inv = 1 / (1 + ex);
      const m = ex * inv;
      mu[i] = m;
      muEta[i] = m * inv;
    }
  }
}

export function logitMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    if (e > THRESH || e < MTHRESH) {
      r[i] = 0;
    } else {
      const ex = fastExp(e);
      const inv = 1 / (1 + ex);
      // mu (1 - mu) (1 - 2 mu) with mu = ex / (1 + ex), 1 - 2 mu = (1 - ex) / (1 + ex).
      r[i] = ex * inv * inv * ((1 - ex) * inv);
    }
  }
  return r;
}

/** mu, mu.eta and its derivative for one eta from one exp, with the thresholds of the array forms. */
export function logitEvaluateAt(eta: number, out: Float64Array): void {
  if (eta < MTHRESH) {
    out[0] = MU_LOW;
    out[1] = DBL_EPSILON;
    out[2] = 0;
  } else if (eta > THRESH) {
    out[0] = MU_HIGH;
    out[1] = DBL_EPSILON;
    out[2] = 0;
  } else {
    const ex = fastExp(eta);
    const inv = 1 / (1 + ex);
    const m = ex * inv;
    const me = m * inv;
    out[0] = m;
    out[1] = me;
    // The same products as the array forms, so both agree to the last bit.
    out[2] = me * ((1 - ex) * inv);
  }
}

export function logitValidEta(eta: Float64Array): boolean {
  return allFinite(eta);
}

export const logitLink: Link = {
  name: 'logit',
  muDomain: UNIT,
  muRange: UNIT,
  linkfun: logitLinkfun,
  linkinv: logitLinkinv,
  muEta: logitMuEta,
  linkinvAndMuEta: logitLinkinvAndMuEta,
  muEtaDerivative: logitMuEtaDerivative,
  evaluateAt: logitEvaluateAt,
  validEta: logitValidEta,
};
