import { linkStaysInMeanSpace, type Family, type Link, type ModelMatrices } from '@glmm/core';

/**
 * The IRLS working weight of one row, prior * (dmu/deta)^2 / V(mu): the one
 * place the formula is written.  Fused row loops call it per element; with
 * a family parameter fixed through Family.parameter.at, V includes the
 * dispersion, so the weight carries 1/phi (glmmTMB's Laplace) by itself.
 */
export function workingWeight(prior: number, muEta: number, variance: number): number {
  return (prior * muEta * muEta) / variance;
}

/**
 * The observed information of each row, half the second eta-derivative of
 * -2 log p: the working weight w = pw mu'^2 / V less pw (y - mu) / V
 * (mu'' - mu'^2 V' / V), written over w in place.  `w` holds the working
 * weights on entry; rows may come out negative, their sum over a group's
 * rows is positive at a mode.
 */
export function observedWeights(
  y: Float64Array,
  pw: Float64Array,
  mu: Float64Array,
  muEta: Float64Array,
  variance: Float64Array,
  muEta2: Float64Array,
  varianceDerivative: Float64Array,
  w: Float64Array,
): void {
  for (let i = 0; i < w.length; i++) {
    const iv = 1 / variance[i]!;
    const me = muEta[i]!;
    w[i]! -= pw[i]! * (y[i]! - mu[i]!) * iv * (muEta2[i]! - me * me * varianceDerivative[i]! * iv);
  }
}

/**
 * The response module (lme4's glmResp): given eta, it owns mu, dmu/deta,
 * the variance, the deviance residuals and the PIRLS working weights, and
 * whether eta is a valid point at all.  All buffers are allocated once and
 * reused across PIRLS iterations.
 *
 * Validity: where the link can leave the family's mean space (identity with
 * a Poisson or Gamma family, Gamma's inverse link at eta < 0; see
 * linkStaysInMeanSpace on Link.muRange and Family.meanSpace) every `setEta`
 * checks mu, as lme4's validmu does; elsewhere only a mean the link leaves
 * undefined (NaN, e.g. 1/mu^2 at eta < 0) can occur, and it makes the
 * deviance non-finite.  An invalid point has deviance +Infinity: PIRLS
 * step-halving then moves back into the valid region, and optimisers treat
 * the point as outside the domain.
 */
export class GlmResponse {
  readonly n: number;
  readonly mu: Float64Array;
  readonly muEta: Float64Array;
  readonly variance: Float64Array;
  readonly devRes: Float64Array;
  /** Working weights w = prior * (dmu/deta)^2 / V(mu). */
  readonly weights: Float64Array;
  /** Whether mu can leave the mean space, so every mu is checked (validMu). */
  readonly checksValidity: boolean;
  /** Points rejected because eta or mu left the valid region, over the response's life. */
  invalidPoints = 0;
  private familyNow: Family;
  /** Whether muEta already holds dmu/deta at the eta last given to setEta (fused link evaluation). */
  private muEtaCurrent = false;
  private saturated: number | undefined;

  constructor(
    readonly model: ModelMatrices,
    family: Family,
    readonly link: Link,
  ) {
    const n = model.n;
    this.n = n;
    this.familyNow = family;
    this.mu = new Float64Array(n);
    this.muEta = new Float64Array(n);
    this.variance = new Float64Array(n);
    this.devRes = new Float64Array(n);
    this.weights = new Float64Array(n);
    this.checksValidity = !linkStaysInMeanSpace(family, link);
  }

  get family(): Family {
    return this.familyNow;
  }

  /**
   * Replaces the family, e.g. by `family.parameter.at(value)` while a family
   * parameter is estimated; the link and the mean space stay the same.
   */
  setFamily(family: Family): void {
    this.familyNow = family;
    this.saturated = undefined;
  }

  /**
   * Whether eta's mean is in the family's mean space (lme4's validmu); where
   * the link cannot leave it, whether the mean is defined at all.  The
   * link's own domain (validEta) is not asked, as lme4's PIRLS does not: it
   * keeps a link one-to-one (R's sqrt link wants eta > 0, and lme4's fit of
   * a Poisson GLMM with it has negative eta), while the likelihood only
   * needs valid means.
   */
  valid(eta: Float64Array): boolean {
    const mu = this.link.linkinv(eta, this.mu);
    if (this.checksValidity) return this.familyNow.validMu(mu);
    for (let i = 0; i < this.n; i++) if (!Number.isFinite(mu[i]!)) return false;
    return true;
  }

  /**
   * Updates mu and the deviance residuals at eta; returns the deviance (sum
   * of deviance residuals), +Infinity when eta is not a valid point.
   */
  setEta(eta: Float64Array): number {
    if (this.link.linkinvAndMuEta) {
      this.link.linkinvAndMuEta(eta, this.mu, this.muEta);
      this.muEtaCurrent = true;
    } else {
      this.link.linkinv(eta, this.mu);
      this.muEtaCurrent = false;
    }
    if (this.checksValidity && !this.familyNow.validMu(this.mu)) return this.invalid();
    this.familyNow.devResiduals(this.model.y, this.mu, this.model.weights, this.devRes);
    let s = 0;
    const d = this.devRes;
    for (let i = 0; i < this.n; i++) s += d[i]!;
    return s < Infinity ? s : this.invalid();
  }

  private invalid(): number {
    this.invalidPoints++;
    this.muEtaCurrent = false;
    return Infinity;
  }

  /** Updates dmu/deta, V(mu) and the working weights at the eta last given to setEta. */
  updateWeights(eta: Float64Array): void {
    if (!this.muEtaCurrent) this.link.muEta(eta, this.muEta);
    this.familyNow.variance(this.mu, this.variance);
    const pw = this.model.weights;
    const me = this.muEta;
    const v = this.variance;
    const w = this.weights;
    for (let i = 0; i < this.n; i++) w[i] = workingWeight(pw[i]!, me[i]!, v[i]!);
  }

  /**
   * Whether the Laplace log-determinant at the mode uses the observed
   * information of the likelihood in eta (glmmTMB's true Laplace) rather
   * than the expected one (lme4's PIRLS weights).  They agree under the
   * canonical link.
   */
  observedInformation = false;
  private d2Buf: Float64Array | null = null;
  private dvBuf: Float64Array | null = null;

  /**
   * The weights of the system whose log-determinant enters the Laplace
   * deviance, at the eta last given to setEta: the working weights, or with
   * `observedInformation` half the second eta-derivative of -2 log p,
   * w - pw (y - mu) / V (d2mu/deta2 - (dmu/deta)^2 V' / V), where the link
   * has muEtaDerivative and the family varianceDerivative (else the working
   * weights).  Observed weights of single rows may be negative; their sum
   * over a group's rows is positive at a mode.
   */
  updateModeWeights(eta: Float64Array): void {
    this.updateWeights(eta);
    if (!this.observedInformation || !this.hasObservedInformation) return;
    const d2 = this.link.muEtaDerivative!(eta, (this.d2Buf ??= new Float64Array(this.n)));
    const dv = this.familyNow.varianceDerivative!(this.mu, (this.dvBuf ??= new Float64Array(this.n)));
    observedWeights(this.model.y, this.model.weights, this.mu, this.muEta, this.variance, d2, dv, this.weights);
  }

  /** Whether the link and family give the observed information (muEtaDerivative and varianceDerivative). */
  get hasObservedInformation(): boolean {
    return this.link.muEtaDerivative !== undefined && this.familyNow.varianceDerivative !== undefined;
  }

  /** Working residual (y - mu) / (dmu/deta), the IRLS correction to eta. */
  workingResidual(out: Float64Array): Float64Array {
    const y = this.model.y;
    for (let i = 0; i < this.n; i++) out[i] = (y[i]! - this.mu[i]!) / this.muEta[i]!;
    return out;
  }

  /** R's family$aic at the current mu: -2 log p(y | mu) (with the dispersion's +2 where it has one). */
  aic(deviance: number): number {
    const family = this.familyNow;
    const { y, trials, weights } = this.model;
    if (family.hasDispersion) return family.aic(y, trials, this.mu, weights, deviance);
    // Without a dispersion, -2 log p(y | mu) = deviance + (-2 log p(y | mu = y)): the
    // saturated term is a constant, so the densities are evaluated once, not per evaluation.
    this.saturated ??= family.aic(y, trials, y, weights, 0);
    return deviance + this.saturated;
  }

  /** Pearson sum of squares: sum prior * (y - mu)^2 / V(mu) (lme4's wrss). */
  pearsonSumOfSquares(): number {
    const y = this.model.y;
    const pw = this.model.weights;
    this.familyNow.variance(this.mu, this.variance);
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const e = y[i]! - this.mu[i]!;
      s += (pw[i]! * e * e) / this.variance[i]!;
    }
    return s;
  }
}
