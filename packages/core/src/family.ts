import type { Link, OpenInterval } from './link.js';
import type { RandomSource } from './random.js';

/**
 * A response distribution of the exponential-dispersion family.
 *
 * The shape mirrors R's `family` objects, which lme4 builds on, so that the
 * Laplace deviance can be assembled exactly as lme4 does:
 * `-2 logLik = aic(y, n, mu, wt, dev) + log|L|^2 + ||u||^2`.
 *
 * For the binomial family `y` is the proportion of successes and `wt` the
 * number of trials (times any prior weight), as in R.
 */
export interface Family {
  readonly name: string;
  readonly canonicalLink: string;
  /** Link names this family accepts; the first is not necessarily canonical. */
  readonly allowedLinks: readonly string[];
  /**
   * Optional: the open interval of valid means (binomial (0, 1); counts and
   * positive responses (0, Inf); gaussian the whole line).  A link that
   * allowedLinks does not name may still be paired with the family when its
   * muDomain covers this interval and its muRange lies inside it.
   */
  readonly meanSpace?: OpenInterval;
  /** True when a scale parameter is estimated (gaussian, gamma); false when fixed at 1. */
  readonly hasDispersion: boolean;
  /**
   * Declared capability: whether `link` is this family's canonical link, so
   * the observed information of the deviance in eta equals the expected one
   * (PIRLS steps are Newton steps, and the exact-gradient kernels apply).
   * Undeclared: never (the general kernels then fit the model, more slowly).
   */
  isCanonical?(link: Link): boolean;
  /**
   * Declared capability: a normal response with constant variance, so that
   * with the canonical link the model is linear and REML/ML fit it in closed
   * form (beta and sigma profiled out).  GLMM estimators leave such models
   * to them.
   */
  readonly linearWithCanonicalLink?: boolean;
  /**
   * Declared capability: with the canonical link, -2 log p(y | eta) =
   * 2 w (exp(eta) - y eta) + c(y) (the Poisson kind), so a random
   * intercept's group depends on its rows only through sums and the fused
   * one-term kernel solves each group in O(1) per Newton step.
   */
  readonly logLinearWithCanonicalLink?: boolean;
  /** V(mu). */
  variance(mu: Float64Array, out?: Float64Array): Float64Array;
  /** Optional dV/dmu; with the link's muEtaDerivative it gives exact GLMM gradients without finite differences. */
  varianceDerivative?(mu: Float64Array, out?: Float64Array): Float64Array;
  /** Optional per-element V(mu) and dV/dmu into out[0] and out[1], for fused row loops (see Link.evaluateAt). */
  varianceAt?(mu: number, out: Float64Array): void;
  /** Optional per-element deviance residual wt * d(y, mu); must agree with devResiduals. */
  devResidualAt?(y: number, mu: number, wt: number): number;
  /** Squared deviance residuals times weights: wt * d(y, mu), as R's `dev.resids`. */
  devResiduals(y: Float64Array, mu: Float64Array, wt: Float64Array, out?: Float64Array): Float64Array;
  /**
   * R's `family$aic`: -2 log-likelihood of y given mu, where families with a
   * dispersion estimate it from `dev` and include its `+2`.
   */
  aic(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array, dev: number): number;
  /** Whether every mu is inside the mean space (e.g. 0 < mu < 1 for binomial). */
  validMu(mu: Float64Array): boolean;
  /**
   * Checks the response. Returns null when valid, otherwise a short reason
   * (e.g. "values must be non-negative integers") for the user-facing error.
   */
  checkResponse(y: Float64Array, wt: Float64Array): string | null;
  /** Starting mu for IRLS, as R's `initialize` expression. */
  startingMu(y: Float64Array, wt: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Optional: draws one new response per row with mean mu into `out`, on
   * the scale of the model's y (binomial: the proportion of wt trials),
   * given the prior weights wt and the dispersion (1 for families without
   * one); R's `family$simulate`.  A family fixed at a parameter value
   * (`FamilyParameter.at`) draws at that value, its dispersion included, so
   * it is called with 1.  A model's simulate() and the parametric bootstrap
   * need it; they refuse a family without it.
   */
  simulate?(mu: Float64Array, wt: Float64Array, dispersion: number, random: RandomSource, out: Float64Array): Float64Array;
  /**
   * A parameter of the distribution estimated by maximum likelihood beside
   * theta and beta: the negative binomial's shape, or the dispersion of a
   * family fitted by true ML (inverse Gaussian; Gamma when the caller asks
   * for ML dispersion instead of lme4's moment estimate).
   */
  readonly parameter?: FamilyParameter;
  /**
   * Residual variance on the latent (link) scale used for the ICC, or null
   * when no standard definition exists for this link.
   * `meanEta` is the mean fixed-effect linear predictor, `randomVariance`
   * the total random-effect variance on the link scale.
   */
  latentResidualVariance(
    link: string,
    context: { dispersion: number; meanEta: number; randomVariance: number },
  ): LatentVariance | null;
}

export interface LatentVariance {
  value: number;
  /** The formula and its source, shown to the user next to the ICC. */
  formula: string;
}

/**
 * A distribution parameter estimated by ML (see Family.parameter).  The
 * estimator searches over it (on the log scale, jointly or in an outer loop)
 * and evaluates the model through `at(value)`, so every deviance, weight and
 * log-likelihood formula stays inside the family's own package.
 */
export interface FamilyParameter {
  /** Reported name: "shape" (negative binomial), "dispersion". */
  readonly name: string;
  /**
   * True when the family cannot be fitted without estimating it (negative
   * binomial, inverse Gaussian); false when it is an option beside another
   * estimate (Gamma's lme4-style dispersion from the residuals).
   */
  readonly required: boolean;
  /**
   * Declared: the parameter is the dispersion phi (Var y = phi V(mu)), so a
   * fit reports it as the dispersion (sigma = sqrt(phi)) and residuals on the
   * unit scale; false or absent for a shape such as the negative binomial's.
   */
  readonly isDispersion?: boolean;
  /** Open bounds on the natural scale (e.g. 0 and Infinity). */
  readonly lower: number;
  readonly upper: number;
  /** A starting value from the response and the mean of a GLM fit. */
  start(y: Float64Array, mu: Float64Array, wt: Float64Array): number;
  /**
   * The family with the parameter fixed at `value`, with nothing left to
   * estimate inside it (`hasDispersion` false, `parameter` undefined):
   *  - `variance` includes any dispersion (phi V(mu)), so the PIRLS weights
   *    and the Laplace log-determinant carry 1/phi (glmmTMB's true Laplace);
   *  - `devResiduals` are the residuals of -2 log-likelihood, i.e. the unit
   *    deviance divided by phi, so that their sum is aic(mu) - aic(mu = y);
   *  - `aic` is the exact -2 log-likelihood at that value (no +2, no estimate).
   */
  at(value: number): Family;
  /**
   * Optional, for exact gradients of the deviance in the parameter: per row,
   * at the means `mu` held fixed, the derivatives in log(value) of what the
   * family at `value` gives: -2 log p(y | mu) (prior weights included, as its
   * `aic` sums them), V(mu) (its `variance`) and dV/dmu (its
   * `varianceDerivative`).  Without it, estimators search over the parameter
   * without its derivative (more slowly).
   */
  derivativesInLog?(value: number, y: Float64Array, mu: Float64Array, wt: Float64Array, out: ParameterDerivatives): void;
}

/** Per-row derivatives in log(value) of a family at a parameter value (FamilyParameter.derivativesInLog). */
export interface ParameterDerivatives {
  /** d(-2 log p(y_i | mu_i)) / d log(value). */
  readonly minusTwoLogLik: Float64Array;
  /** dV(mu_i) / d log(value). */
  readonly variance: Float64Array;
  /** d(dV/dmu at mu_i) / d log(value). */
  readonly varianceDerivative: Float64Array;
}
