/**
 * The staged estimator contract (lme4's modular pipeline: lFormula ->
 * mkDevfun -> optimize -> mkMerMod; MixedModels.jl's model / objective /
 * optimiser split).  An estimator first builds a `ModelDeviance` from a
 * `FitProblem`; the fit is then a search over it and a finalisation.  The
 * same object serves callers outside the estimator: profile likelihood,
 * Satterthwaite degrees of freedom, Wald intervals on the covariance
 * parameters, refits from a warm start.
 *
 * Parameter vector x, in this order (see DevianceLayout):
 *   theta (nTheta: the covariance parameters, lme4's theta),
 *   beta  (nBeta: the fixed effects; 0 when they are profiled out, as in REML/ML),
 *   log of the family parameter (nFamily = 1 when the family's ML parameter
 *   is estimated, e.g. the negative binomial shape or an ML dispersion).
 * All on their natural scale (no whitening): an estimator's internal
 * search coordinates are its own business.
 */
export interface DevianceLayout {
  readonly nTheta: number;
  readonly nBeta: number;
  /** 1 when x ends with log(family parameter), otherwise 0. */
  readonly nFamily: number;
  /** Names of the coordinates: theta names, fixed-effect names, "log(<parameter>)". */
  readonly names: readonly string[];
  /** Bounds of x (theta's diagonal entries at 0, everything else -Infinity/Infinity). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Everything the deviance determines at one parameter vector. */
export interface DevianceState {
  /** The objective at x: REML criterion or -2 log-likelihood (LMM), Laplace or AGQ deviance (GLMM). */
  readonly deviance: number;
  readonly theta: Float64Array;
  /** The fixed effects: profiled (generalised least squares at theta) for an LMM, x's own for a GLMM. */
  readonly beta: Float64Array;
  /**
   * Residual scale at x: the profiled sigma of an LMM (sqrt(pwrss / (n - p)) for
   * REML, / n for ML); sqrt of the dispersion for GLMMs (1 for families without one).
   */
  readonly sigma: number;
  /**
   * (R_X'R_X)^{-1}, p x p column-major, so vcov(beta) = sigma^2 times it.  LMMs:
   * exact at theta.  GLMMs: lme4's R_X approximation, from the fixed-effects
   * block of the PIRLS system at the conditional mode (lme4's use.hessian = FALSE).
   */
  readonly unscaledVcovBeta: Float64Array;
  /** Spherical conditional modes u (b = Lambda(theta) u), level-major within each term. */
  readonly u: Float64Array;
  /**
   * LMMs only: the pieces of the profiled deviance, from which the deviance
   * at any sigma follows (see `lmmDevianceAtSigma`): what Satterthwaite's
   * method differentiates as a function of (theta, sigma).
   */
  readonly lmm?: LmmDeviancePieces;
  /** The family parameter at x (natural scale), when the layout has one. */
  readonly familyParameter?: number;
}

export interface LmmDeviancePieces {
  readonly reml: boolean;
  readonly n: number;
  readonly p: number;
  /** Penalised weighted residual sum of squares at the profiled beta and u. */
  readonly pwrss: number;
  /** log det(L_Z)^2 = log det(Lambda'Z'WZ Lambda + I). */
  readonly ldL2: number;
  /** log det(R_X)^2. */
  readonly ldRX2: number;
  /** log det(W) of the prior weights (0 for unit weights). */
  readonly ldW: number;
}

/**
 * -2 log-likelihood (ML) or REML criterion of an LMM at theta with sigma
 * given rather than profiled: the function lmerTest differentiates in
 * (theta, sigma) for Satterthwaite's degrees of freedom.  At the profiled
 * sigma it equals DevianceState.deviance.
 */
export function lmmDevianceAtSigma(pieces: LmmDeviancePieces, sigma: number): number {
  const { reml, n, p, pwrss, ldL2, ldRX2, ldW } = pieces;
  const dof = reml ? n - p : n;
  const s2 = sigma * sigma;
  return ldL2 - ldW + (reml ? ldRX2 : 0) + dof * Math.log(2 * Math.PI * s2) + pwrss / s2;
}

/**
 * The deviance of one model as a function of x (see DevianceLayout).  Values
 * are +Infinity where the model cannot be evaluated (a failed factorisation,
 * no valid conditional mode): optimisers treat that as outside the domain.
 * Instances hold buffers and warm starts, so they are not re-entrant.
 */
export interface ModelDeviance {
  readonly layout: DevianceLayout;
  /** The estimator's own starting point (a GLM or moment start; may cost a pass over the data). */
  start(): Float64Array;
  value(x: Float64Array): number;
  /** The exact gradient at x, where the estimator has one for this model. */
  gradient?(x: Float64Array, out: Float64Array): void;
  /**
   * Value, exact gradient and a Hessian in one evaluation (column-major).
   * The Hessian is exact when `hessianIsExact`, otherwise an approximation
   * good enough for Newton steps (average information, or third-derivative
   * terms left out).
   */
  valueGradientHessian?(x: Float64Array, g: Float64Array, H: Float64Array): number;
  readonly hessianIsExact?: boolean;
  /** The full state at x (modes converged tightly); null where the deviance is not finite. */
  evaluate(x: Float64Array): DevianceState | null;
  /** Objective evaluations so far (each one a factorisation, or a PIRLS solve for GLMMs). */
  readonly evaluations: number;
}

/**
 * A starting point for a fit, e.g. a previous fit's estimates for a refit
 * on a new response.  Any part may be left out; the estimator fills it in
 * from its own start.  Estimators that profile beta out ignore `beta`.
 */
export interface FitStart {
  readonly theta?: Float64Array | readonly number[];
  readonly beta?: Float64Array | readonly number[];
  /** The family parameter on its natural scale (e.g. the negative binomial shape). */
  readonly parameter?: number;
}
