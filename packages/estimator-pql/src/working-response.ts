import type { Family, Link, ModelMatrices } from '@glmm/core';

/**
 * The linearisation every pseudo-likelihood step (and the GLM start's IRLS)
 * fits: at a linear predictor eta, with mu = g^{-1}(eta),
 *
 *   z = eta - offset + (y - mu) / (dmu/deta)      (working response)
 *   w = prior weight (dmu/deta)^2 / V(mu)         (working weight)
 *
 * so that z ~ X beta + Z b + e with Var(e) = dispersion / w (Breslow &
 * Clayton 1993; Wolfinger & O'Connell 1993).  Everything family- and
 * link-specific comes through the plugins' array functions, and this is the
 * only place the formulas are written.  The buffers are reused from one
 * iteration to the next: no per-row objects, no allocation per step.
 */
export class WorkingResponse {
  readonly mu: Float64Array;
  readonly muEta: Float64Array;
  readonly variance: Float64Array;
  /** Working response (offset removed). */
  readonly z: Float64Array;
  /** Working weights. */
  readonly w: Float64Array;

  constructor(
    readonly model: ModelMatrices,
    readonly family: Family,
    readonly link: Link,
  ) {
    const n = model.n;
    this.mu = new Float64Array(n);
    this.muEta = new Float64Array(n);
    this.variance = new Float64Array(n);
    this.z = new Float64Array(n);
    this.w = new Float64Array(n);
  }

  /**
   * Recomputes mu, dmu/deta, V(mu), z and w at eta (offset included).
   * Returns false, leaving the buffers unusable until the next successful
   * call, when eta is outside the link's domain, mu outside the family's
   * mean space, or a working value is not finite or a weight not positive:
   * the caller then steps back towards its last valid eta.
   */
  update(eta: Float64Array): boolean {
    const { link, family, model } = this;
    if (!link.validEta(eta)) return false;
    if (link.linkinvAndMuEta) link.linkinvAndMuEta(eta, this.mu, this.muEta);
    else {
      link.linkinv(eta, this.mu);
      link.muEta(eta, this.muEta);
    }
    if (!family.validMu(this.mu)) return false;
    family.variance(this.mu, this.variance);
    return fillWorking(model.n, eta, model.offset, model.y, model.weights, this.mu, this.muEta, this.variance, this.z, this.w);
  }

  /**
   * Whether the working model is the model itself at the current eta:
   * dmu/deta = 1 and V(mu) = 1 on every row (an identity link with a
   * constant variance, i.e. a linear mixed model), so that z = y - offset,
   * w = the prior weights and the pseudo-likelihood is the likelihood.
   */
  isExact(): boolean {
    const { muEta, variance } = this;
    for (let r = 0; r < muEta.length; r++) if (muEta[r] !== 1 || variance[r] !== 1) return false;
    return true;
  }

  /** Sum of the family's deviance residuals at the current mu (the GLM start's convergence criterion). */
  deviance(scratch: Float64Array): number {
    const { family, model } = this;
    family.devResiduals(model.y, this.mu, model.weights, scratch);
    let dev = 0;
    for (let r = 0; r < scratch.length; r++) dev += scratch[r]!;
    return dev;
  }
}

/** The row loop of WorkingResponse.update; false at the first unusable row. */
function fillWorking(
  n: number,
  eta: Float64Array,
  offset: Float64Array,
  y: Float64Array,
  pw: Float64Array,
  mu: Float64Array,
  muEta: Float64Array,
  variance: Float64Array,
  z: Float64Array,
  w: Float64Array,
): boolean {
  for (let r = 0; r < n; r++) {
    const d = muEta[r]!;
    const zr = eta[r]! - offset[r]! + (y[r]! - mu[r]!) / d;
    const wr = (pw[r]! * d * d) / variance[r]!;
    // A weight of 0 would give its row infinite variance (and log 0 in the
    // pseudo-likelihood); the links keep dmu/deta away from 0, so this only
    // trips on a mean at the very edge of the family's range.
    if (!(wr > 0 && wr < Infinity) || !Number.isFinite(zr)) return false;
    z[r] = zr;
    w[r] = wr;
  }
  return true;
}
