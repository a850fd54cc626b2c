/**
 * What the inference functions need of a linear mixed model's estimation:
 * the pieces of the profiled deviance at any theta.  The model object's
 * estimation adapter provides it from the estimator's deviance object
 * (`LmmDevianceFunction` of @glmm/model has this shape).
 */
export interface LmmDevianceTerms {
  /** beta-hat at theta. */
  readonly beta: Float64Array;
  /** Penalised weighted residual sum of squares at beta-hat(theta) and u-hat(theta). */
  readonly pwrss: number;
  /** log det(Lambda'Z'WZ Lambda + I). */
  readonly ldL2: number;
  /** log det(R_X'R_X). */
  readonly ldRX2: number;
  /** (R_X'R_X)^{-1}, column-major p x p: vcov(beta) is sigma^2 times it. */
  readonly fixedInverse: Float64Array;
}

export interface LmmDeviance {
  /** Whether the fit maximised the REML criterion (else the likelihood). */
  readonly reml: boolean;
  readonly n: number;
  readonly p: number;
  readonly nTheta: number;
  /** Lower bounds of theta. */
  readonly lower: Float64Array;
  /** log det W of the prior weights (0 without weights): the deviance's constant, needed for absolute log-likelihoods. */
  readonly logDetWeights?: number;
  /** The pieces at theta; null where the system is not positive definite. */
  terms(theta: Float64Array): LmmDevianceTerms | null;
}

/** Residual degrees of freedom in the deviance's sigma term: n - p for REML, n for ML. */
export function sigmaDf(dev: { readonly reml: boolean; readonly n: number; readonly p: number }, reml = dev.reml): number {
  return reml ? dev.n - dev.p : dev.n;
}

/**
 * The deviance at (theta, sigma) with beta profiled out (lmerTest's
 * devfun_vp), without the constant -log det W: ML is
 * ldL2 + pwrss / sigma^2 + n log(2 pi sigma^2); REML adds
 * ldRX2 - p log(2 pi sigma^2).
 */
export function devianceAtSigma(t: LmmDevianceTerms, n: number, p: number, reml: boolean, sigma: number): number {
  const s2 = sigma * sigma;
  const ml = t.ldL2 + t.pwrss / s2 + n * Math.log(2 * Math.PI * s2);
  return reml ? ml + t.ldRX2 - p * Math.log(2 * Math.PI * s2) : ml;
}

/** The deviance with sigma profiled out too (the criterion REML/ML minimise over theta), without -log det W. */
export function profiledDeviance(t: LmmDevianceTerms, n: number, p: number, reml: boolean): number {
  const df = reml ? n - p : n;
  const base = t.ldL2 + df * (1 + Math.log((2 * Math.PI * t.pwrss) / df));
  return reml ? base + t.ldRX2 : base;
}
