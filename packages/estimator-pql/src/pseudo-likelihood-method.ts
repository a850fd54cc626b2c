import { DEFAULT_FIT_OPTIONS, GlmmInputError, type Family, type FitOptions } from '@glmm/core';
import { glmmPqlRule, relativeEtaRule, type StoppingRule } from './stopping-rule.js';

export type PseudoLikelihoodMethod = 'PQL' | 'MPL' | 'REMPL';

/**
 * What distinguishes the three methods.  They share the iteration (working
 * response and weights, a weighted LMM, a new linear predictor) and differ
 * in the working LMM's criterion, the start, the stopping rule and how the
 * fixed effects' covariance is scaled.
 */
export interface PseudoLikelihoodSpec {
  readonly method: PseudoLikelihoodMethod;
  /** Restricted pseudo-likelihood (REMPL) instead of ML. */
  readonly reml: boolean;
  /** 'glm': the fixed-effects GLM fit (glmmPQL); 'mustart': eta = g(starting mu) (fitglme's MuStart). */
  readonly start: 'glm' | 'mustart';
  readonly rule: StoppingRule;
  readonly defaultIterations: number;
  readonly defaultTolerance: number;
  /** Whether a family without a dispersion (binomial, Poisson) has one estimated unless told otherwise. */
  readonly estimatesDispersionByDefault: boolean;
  /**
   * 'nlme': vcov(beta) = pwrss / (n - p) (R_X'R_X)^{-1}, which nlme's lme
   * reports under method "ML" (glmmPQL's standard errors); 'dispersion':
   * s2 (R_X'R_X)^{-1} with the working LMM's s2 (fitglme's 'conditional'
   * covariance method).
   */
  readonly vcovScale: 'nlme' | 'dispersion';
}

/**
 * MASS's glmmPQL (Venables & Ripley 2002, after Breslow & Clayton 1993):
 * the working LMM by lme(method = "ML") with varFixed weights, so the
 * dispersion is always estimated; GLM start; at most 10 iterations.
 */
export const PQL: PseudoLikelihoodSpec = {
  method: 'PQL',
  reml: false,
  start: 'glm',
  rule: glmmPqlRule,
  defaultIterations: 10,
  defaultTolerance: 1e-6,
  estimatesDispersionByDefault: true,
  vcovScale: 'nlme',
};

/** fitglme's 'MPL': ML pseudo-likelihood, PLIterations 100, PLTolerance 1e-8, DispersionFlag false. */
export const MPL: PseudoLikelihoodSpec = {
  method: 'MPL',
  reml: false,
  start: 'mustart',
  rule: relativeEtaRule,
  defaultIterations: 100,
  defaultTolerance: 1e-8,
  estimatesDispersionByDefault: false,
  vcovScale: 'dispersion',
};

/** fitglme's 'REMPL': as MPL with the restricted pseudo-likelihood. */
export const REMPL: PseudoLikelihoodSpec = { ...MPL, method: 'REMPL', reml: true };

export const PSEUDO_LIKELIHOOD_SPECS: Readonly<Record<PseudoLikelihoodMethod, PseudoLikelihoodSpec>> = { PQL, MPL, REMPL };

/** Options of a pseudo-likelihood estimator beyond FitOptions, named as fitglme names them. */
export interface PseudoLikelihoodSettings {
  /**
   * fitglme's DispersionFlag: estimate the dispersion of a family that has
   * none (binomial, Poisson) instead of fixing it at 1.  Default: false for
   * MPL and REMPL (fitglme), true for PQL (glmmPQL always estimates it).
   * Families with a dispersion (gaussian, gamma) always have it estimated.
   */
  readonly dispersionFlag?: boolean;
  /** fitglme's PLIterations; default 100 (MPL, REMPL) or glmmPQL's niter 10 (PQL). */
  readonly iterations?: number;
  /** fitglme's PLTolerance; default 1e-8 (MPL, REMPL) or glmmPQL's 1e-6 (PQL). */
  readonly tolerance?: number;
  /** fitglme's MuStart: the starting mean, one value or one per row; default the family's starting mu. */
  readonly muStart?: number | Float64Array;
}

export interface ResolvedSettings {
  readonly spec: PseudoLikelihoodSpec;
  readonly estimateDispersion: boolean;
  readonly iterations: number;
  readonly tolerance: number;
  readonly muStart: number | Float64Array | null;
}

/**
 * The settings of one fit.  The estimator's own settings come first; then
 * FitOptions' maxIterations and tolerance where the caller changed them
 * (the CLI's --max-iter and --tol), since FitOptions has no "unset" and its
 * defaults (100, 1e-6) are not the methods' (glmmPQL's 10, fitglme's 1e-8).
 */
export function resolveSettings(spec: PseudoLikelihoodSpec, settings: PseudoLikelihoodSettings, family: Family, options: FitOptions): ResolvedSettings {
  const iterations =
    settings.iterations ?? (options.maxIterations !== DEFAULT_FIT_OPTIONS.maxIterations ? options.maxIterations : spec.defaultIterations);
  const tolerance = settings.tolerance ?? (options.tolerance !== DEFAULT_FIT_OPTIONS.tolerance ? options.tolerance : spec.defaultTolerance);
  if (!(Number.isInteger(iterations) && iterations > 0))
    throw new GlmmInputError(`${spec.method}: the number of pseudo-likelihood iterations must be a positive integer, got ${iterations}`);
  if (!(tolerance > 0 && tolerance < 1)) throw new GlmmInputError(`${spec.method}: the pseudo-likelihood tolerance must be in (0, 1), got ${tolerance}`);
  return {
    spec,
    estimateDispersion: family.hasDispersion || (settings.dispersionFlag ?? spec.estimatesDispersionByDefault),
    iterations,
    tolerance,
    muStart: settings.muStart ?? null,
  };
}
