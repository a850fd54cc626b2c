/** An open interval (lower, upper) of the real line; either end may be infinite. */
export interface OpenInterval {
  readonly lower: number;
  readonly upper: number;
}

/**
 * A link function g with mu = g^{-1}(eta).
 *
 * Every method works element-wise on whole columns so that hot loops stay
 * over typed arrays; `out` lets callers reuse buffers across PIRLS iterations.
 */
export interface Link {
  readonly name: string;
  /** eta = g(mu). */
  linkfun(mu: Float64Array, out?: Float64Array): Float64Array;
  /**
   * mu = g^{-1}(eta); finite for any valid eta.  It may leave the family's
   * mean space (the identity link with a Poisson family): estimators check
   * the family's `validMu` and step back, as lme4's PIRLS does, unless
   * `muRange` lies inside the family's `meanSpace` (linkStaysInMeanSpace).
   */
  linkinv(eta: Float64Array, out?: Float64Array): Float64Array;
  /** d mu / d eta; finite and nonzero for any valid eta (negative for decreasing links such as inverse, as in R). */
  muEta(eta: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Optional mu and d mu / d eta together in one pass (GLM.jl's inverselink):
   * for log and logit both come from one exp, halving the work of a PIRLS step.
   * Must write exactly what linkinv and muEta would.
   */
  linkinvAndMuEta?(eta: Float64Array, mu: Float64Array, muEta: Float64Array): void;
  /**
   * Optional d^2 mu / d eta^2 (0 where linkinv or muEta is clamped).  When a
   * link provides it, exact GLMM gradients avoid finite differences in eta.
   */
  muEtaDerivative?(eta: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Optional per-element form of linkinv, muEta and muEtaDerivative, for
   * fused row loops that keep one row in registers instead of streaming whole
   * arrays: writes mu, d mu / d eta and d^2 mu / d eta^2 at eta into out[0],
   * out[1] and out[2].  Must agree with the array methods (the conformance
   * suite checks it).  Fused loops check nothing: a link that provides it
   * must accept every finite eta (validEta), and the loops run only where
   * `muRange` lies inside the family's `meanSpace`.
   */
  evaluateAt?(eta: number, out: Float64Array): void;
  /** Whether every eta is in the link's domain (e.g. inverse link needs eta != 0). */
  validEta(eta: Float64Array): boolean;
  /**
   * Optional: an open interval of means on which linkfun is defined, finite
   * and strictly monotone (log: (0, Inf); logit: (0, 1); inverse: (0, Inf),
   * one of its two branches).  With muRange it declares which families the
   * link fits (see linkFitsFamily): a custom link needs both to be paired
   * with a family that does not name it in allowedLinks.
   */
  readonly muDomain?: OpenInterval;
  /**
   * Optional: an open interval holding every finite linkinv(eta), clamps
   * included (log: (0, Inf); identity and inverse: the whole line, since a
   * negative eta gives a negative mean; 1/mu^2: (0, Inf), its NaN at eta < 0
   * failing every check).  Fits do not ask validEta, as lme4's PIRLS does
   * not, so it covers every finite eta, not only the valid ones.  Where it
   * lies inside a family's meanSpace, fits skip the family's validMu check
   * (see linkStaysInMeanSpace); undeclared, every evaluation is checked.
   */
  readonly muRange?: OpenInterval;
  /**
   * Optional, for a link indexed by a number: the link at `value`, which a
   * user asks for as `name(value)`, e.g. `power(0.5)`.  The registered plugin
   * itself is the member R gives without an argument (power() is identity).
   * Throws a RangeError for a value outside the index's range.
   */
  withParameter?(value: number): Link;
}
