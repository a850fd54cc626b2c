import type { Link } from '@glmm/core';
import { DBL_EPSILON, outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { identityLink } from './identity.js';
import { logLink } from './log.js';

/**
 * The power link eta = mu^p.  p = 0 is the log link (the limit of
 * (mu^p - 1)/p) and p = 1 the identity, as R's `power()`.  Unlike R, which
 * maps every p < 0 to log, a negative p gives mu^p itself (p = -1 is the
 * inverse link); its mu.eta is then negative and is not floored.
 */
export function powerLink(p: number): Link {
  if (!Number.isFinite(p)) throw new RangeError(`power link exponent must be a finite number, got ${p}`);
  if (p === 0) return logLink;
  if (p === 1) return identityLink;
  const inv = 1 / p;
  // R floors mu and mu.eta at eps only for increasing links (p > 0).
  const floor = p > 0 ? DBL_EPSILON : -Infinity;
  return {
    name: `mu^${Math.round(p * 1000) / 1000}`,
    linkfun(mu: Float64Array, out?: Float64Array): Float64Array {
      const r = outputBuffer(mu.length, out);
      for (let i = 0; i < mu.length; i++) r[i] = Math.pow(mu[i]!, p);
      return r;
    },
    linkinv(eta: Float64Array, out?: Float64Array): Float64Array {
      const r = outputBuffer(eta.length, out);
      for (let i = 0; i < eta.length; i++) r[i] = Math.max(Math.pow(eta[i]!, inv), floor);
      return r;
    },
    muEta(eta: Float64Array, out?: Float64Array): Float64Array {
      const r = outputBuffer(eta.length, out);
      for (let i = 0; i < eta.length; i++) r[i] = Math.max(inv * Math.pow(eta[i]!, inv - 1), floor);
      return r;
    },
    validEta(eta: Float64Array): boolean {
      return allFinite(eta, (e) => e > 0);
    },
  };
}
