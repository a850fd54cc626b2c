/**
 * The tolerances of packages/datasets/fixtures/README.md ("Tolerances used
 * to judge a fit"), in one place so that the README and the code can be
 * compared line by line.
 */
export const TOLERANCES = {
  /** |estimate - ref| <= 0.01 ref SE. */
  fixedEstimateInSe: 0.01,
  /** |SE - ref SE| <= 0.01 ref SE for linear mixed models (family gaussian). */
  fixedSeLmm: 0.01,
  /** |SE - ref SE| <= 0.03 ref SE for GLMMs (Hessian-dependent). */
  fixedSeGlmm: 0.03,
  /** Random-effect SDs, sorted: 1% relative ... */
  sdRelative: 0.01,
  /** ... plus 0.001 times the largest SD of the model (the residual SD included). */
  sdOfLargest: 0.001,
  /** Correlations, absolute. */
  correlation: 0.01,
  /** logLik may be lower than lme4's by at most this (a worse optimum) ... */
  logLikBelow: { absolute: 0.001, relative: 1e-6 },
  /** ... and higher by at most this (a better optimum is welcome, within reason). AIC and BIC mirror both. */
  logLikAbove: { absolute: 0.02, relative: 1e-5 },
  conditionalDeviance: { absolute: 0.01, relative: 1e-4 },
  /** |BLUP - ref| <= 0.02 (condSd + 0.001 largest |BLUP| of the term). */
  blupInCondSd: 0.02,
  blupOfLargest: 0.001,
  /**
   * The README gives no tolerance for conditional SDs; this one has the same
   * shape as the SD rule: 2% relative plus 0.001 times the term's largest condSd.
   */
  condSdRelative: 0.02,
  condSdOfLargest: 0.001,
  /**
   * Absolute floor for the rules above that scale with the answer, which are
   * 0 when lme4's answer is exactly 0 (a singular fit: SD, BLUPs and condSds
   * all 0): a fit whose optimiser stops at theta = 1e-9 instead of 0 is right.
   */
  zeroFloor: 1e-6,
} as const;
