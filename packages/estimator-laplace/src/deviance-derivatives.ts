import type { ModelMatrices } from '@glmm/core';
import { observedWeights, workingWeight, type GlmResponse } from '@glmm/engine';

/**
 * Per-row derivatives of the deviance at the mode, for the exact gradients
 * of the Laplace deviance: s = d d_i / d eta and w' = d w / d eta, w the
 * weight of the Laplace factor (GlmResponse.updateModeWeights).
 *  - Working weights: w' exact when the link has muEtaDerivative and the
 *    family varianceDerivative, otherwise central differences per row.
 *  - Observed information (a family parameter fitted by ML, glmmTMB's
 *    Laplace): w is half the second eta-derivative of -2 log p, so w' needs
 *    the third, which links and families do not declare; it is the central
 *    difference of the exact observed weight, about 1e-10 relative.
 * s is always exact.
 */
export class DevianceDerivatives {
  /** d d_i / d eta. */
  readonly s: Float64Array;
  /** d w_i / d eta. */
  readonly wp: Float64Array;
  private readonly etaShift: Float64Array;
  private readonly muShift: Float64Array;
  private readonly meShift: Float64Array;
  private readonly vShift: Float64Array;
  private readonly wPlus: Float64Array;
  private d2Shift: Float64Array | null = null;
  private dvShift: Float64Array | null = null;

  constructor(
    private readonly model: ModelMatrices,
    private readonly response: GlmResponse,
  ) {
    const f = () => new Float64Array(model.n);
    this.s = f();
    this.wp = f();
    this.etaShift = f();
    this.muShift = f();
    this.meShift = f();
    this.vShift = f();
    this.wPlus = f();
  }

  /** Fills s and wp at eta (the response holding mu, dmu/deta and V there). */
  compute(eta: Float64Array): void {
    const { s, wp } = this;
    const n = this.model.n;
    const response = this.response;
    const { link, family, mu, muEta, variance } = response;
    const { y, weights } = this.model;
    for (let i = 0; i < n; i++) s[i] = (-2 * weights[i]! * (y[i]! - mu[i]!) * muEta[i]!) / variance[i]!;
    const observed = response.observedInformation && response.hasObservedInformation;
    if (!observed && link.muEtaDerivative && family.varianceDerivative) {
      const d2 = link.muEtaDerivative(eta, this.meShift);
      const dv = family.varianceDerivative(mu, this.vShift);
      for (let i = 0; i < n; i++) {
        const me = muEta[i]!;
        const v = variance[i]!;
        wp[i] = weights[i]! * ((2 * me * d2[i]!) / v - (me * me * dv[i]! * me) / (v * v));
      }
      return;
    }
    const step = (e: number) => 1e-5 * Math.max(1, Math.abs(e));
    const shifted = (sign: number, out: Float64Array) => {
      const e = this.etaShift;
      for (let i = 0; i < n; i++) e[i] = eta[i]! + sign * step(eta[i]!);
      link.linkinv(e, this.muShift);
      link.muEta(e, this.meShift);
      family.variance(this.muShift, this.vShift);
      for (let i = 0; i < n; i++) out[i] = workingWeight(weights[i]!, this.meShift[i]!, this.vShift[i]!);
      if (!observed) return;
      const d2 = link.muEtaDerivative!(e, (this.d2Shift ??= new Float64Array(n)));
      const dv = family.varianceDerivative!(this.muShift, (this.dvShift ??= new Float64Array(n)));
      observedWeights(y, weights, this.muShift, this.meShift, this.vShift, d2, dv, out);
    };
    shifted(1, wp);
    shifted(-1, this.wPlus);
    for (let i = 0; i < n; i++) wp[i] = (wp[i]! - this.wPlus[i]!) / (2 * step(eta[i]!));
  }
}
