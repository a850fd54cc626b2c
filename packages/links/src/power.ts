import type { Link } from '@glmm/core';
import { DBL_EPSILON, DBL_MAX, outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { identityLink } from './identity.js';
import { POSITIVE } from './intervals.js';
import { logLink } from './log.js';

/**
 * The power link eta = mu^p.  p = 0 is the log link (the limit of
 * (mu^p - 1)/p) and p = 1 the identity, as R's `power()`.  Unlike R, which
 * maps every p < 0 to log, a negative p gives mu^p itself (p = -1 is the
 * inverse link restricted to positive eta); its mu.eta is then negative.
 * As R does for p > 0, mu and |mu.eta| are floored at DBL_EPSILON, and both
 * are capped at DBL_MAX, so every positive eta gives a positive finite mean
 * and a finite nonzero derivative.
 */
export function powerLink(p: number): Link {
  if (!Number.isFinite(p)) throw new RangeError(`power link exponent must be a finite number, got ${p}`);
  if (p === 0) return logLink;
  if (p === 1) return identityLink;
  const inv = 1 / p;
  const sign = p > 0 ? 1 : -1;
  return {
    name: `mu^${Math.round(p * 1000) / 1000}`,
    muDomain: POSITIVE,
    muRange: POSITIVE,
    linkfun(mu: Float64Array, out?: Float64Array): Float64Array {
      const r = outputBuffer(mu.length, out);
      for (let i = 0; i < mu.length; i++) r[i] = Math.pow(mu[i]!, p);
      return r;
    },
    linkinv(eta: Float64Array, out?: Float64Array): Float64Array {
      const r = outputBuffer(eta.length, out);
      for (let i = 0; i < eta.length; i++) r[i] = Math.min(Math.max(Math.pow(eta[i]!, inv), DBL_EPSILON), DBL_MAX);
      return r;
    },
    muEta(eta: Float64Array, out?: Float64Array): Float64Array {
      const r = outputBuffer(eta.length, out);
      for (let i = 0; i < eta.length; i++) {
        r[i] = sign * Math.min(Math.max(sign * inv * Math.pow(eta[i]!, inv - 1), DBL_EPSILON), DBL_MAX);
      }
      return r;
    },
    // d/d eta of (1/p) eta^(1/p - 1); 0 where mu.eta is clamped.
    muEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
      const r = outputBuffer(eta.length, out);
      for (let i = 0; i < eta.length; i++) {
        const e = eta[i]!;
        const me = sign * inv * Math.pow(e, inv - 1);
        r[i] = me > DBL_EPSILON && me < DBL_MAX ? Math.max(Math.min(sign * (inv - 1) * (me / e), DBL_MAX), -DBL_MAX) : 0;
      }
      return r;
    },
    validEta(eta: Float64Array): boolean {
      return allFinite(eta, (e) => e > 0);
    },
  };
}

/**
 * The plugin registered as "power": R's power() with no argument, the
 * identity, whose withParameter gives power(p) for `--link "power(0.5)"`.
 */
export const powerLinks: Link = { ...identityLink, withParameter: powerLink };
