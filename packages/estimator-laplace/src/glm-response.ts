import type { Family, Link, ModelMatrices } from '@glmm/core';

/**
 * The response module (lme4's glmResp): given eta, it owns mu, dmu/deta,
 * the variance, the deviance residuals and the PIRLS working weights.  All
 * buffers are allocated once and reused across PIRLS iterations.
 */
export class GlmResponse {
  readonly n: number;
  readonly mu: Float64Array;
  readonly muEta: Float64Array;
  readonly variance: Float64Array;
  readonly devRes: Float64Array;
  /** Working weights w = prior * (dmu/deta)^2 / V(mu). */
  readonly weights: Float64Array;

  constructor(
    readonly model: ModelMatrices,
    readonly family: Family,
    readonly link: Link,
  ) {
    const n = model.n;
    this.n = n;
    this.mu = new Float64Array(n);
    this.muEta = new Float64Array(n);
    this.variance = new Float64Array(n);
    this.devRes = new Float64Array(n);
    this.weights = new Float64Array(n);
  }

  /** Whether muEta already holds dmu/deta at the eta last given to setEta (fused link evaluation). */
  private muEtaCurrent = false;

  /** Updates mu and the deviance residuals at eta; returns the deviance (sum of deviance residuals). */
  setEta(eta: Float64Array): number {
    if (this.link.linkinvAndMuEta) {
      this.link.linkinvAndMuEta(eta, this.mu, this.muEta);
      this.muEtaCurrent = true;
    } else {
      this.link.linkinv(eta, this.mu);
      this.muEtaCurrent = false;
    }
    this.family.devResiduals(this.model.y, this.mu, this.model.weights, this.devRes);
    let s = 0;
    const d = this.devRes;
    for (let i = 0; i < this.n; i++) s += d[i]!;
    return s;
  }

  /** Updates dmu/deta, V(mu) and the working weights at the eta last given to setEta. */
  updateWeights(eta: Float64Array): void {
    if (!this.muEtaCurrent) this.link.muEta(eta, this.muEta);
    this.family.variance(this.mu, this.variance);
    const pw = this.model.weights;
    const me = this.muEta;
    const v = this.variance;
    const w = this.weights;
    for (let i = 0; i < this.n; i++) w[i] = (pw[i]! * me[i]! * me[i]!) / v[i]!;
  }

  /** Working residual (y - mu) / (dmu/deta), the IRLS correction to eta. */
  workingResidual(out: Float64Array): Float64Array {
    const y = this.model.y;
    for (let i = 0; i < this.n; i++) out[i] = (y[i]! - this.mu[i]!) / this.muEta[i]!;
    return out;
  }

  /** R's family$aic at the current mu: -2 log p(y | mu) (with the dispersion's +2 where it has one). */
  aic(deviance: number): number {
    if (this.family.hasDispersion) return this.family.aic(this.model.y, this.model.trials, this.mu, this.model.weights, deviance);
    // Without a dispersion, -2 log p(y | mu) = deviance + (-2 log p(y | mu = y)): the
    // saturated term is a constant, so the densities are evaluated once, not per evaluation.
    this.saturated ??= this.family.aic(this.model.y, this.model.trials, this.model.y, this.model.weights, 0);
    return deviance + this.saturated;
  }

  private saturated: number | undefined;

  /** Pearson sum of squares: sum prior * (y - mu)^2 / V(mu) (lme4's wrss). */
  pearsonSumOfSquares(): number {
    const y = this.model.y;
    const pw = this.model.weights;
    this.family.variance(this.mu, this.variance);
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const e = y[i]! - this.mu[i]!;
      s += (pw[i]! * e * e) / this.variance[i]!;
    }
    return s;
  }
}
