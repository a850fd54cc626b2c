import type { SatterthwaiteModel } from './satterthwaite.js';

/**
 * How the reference distribution of a Wald statistic is chosen: `z` the
 * normal / chi-square (MIDAS, lme4's glmer), `residual` t / F with n - p
 * degrees of freedom (fitglme's default), `satterthwaite` t / F with
 * Satterthwaite's approximation (lmerTest, linear mixed models only).
 */
export type DfMethod = 'satterthwaite' | 'residual' | 'z';

export const DF_METHODS: readonly DfMethod[] = ['satterthwaite', 'residual', 'z'];

/** A resolved method with what it needs. */
export type DegreesOfFreedom =
  | { readonly method: 'satterthwaite'; readonly model: SatterthwaiteModel }
  | { readonly method: 'residual'; readonly df: number }
  | { readonly method: 'z' };

/** How each method is named in outputs. */
export function dfMethodLabel(method: DfMethod): string {
  switch (method) {
    case 'satterthwaite':
      return "t with Satterthwaite's degrees of freedom";
    case 'residual':
      return 't with residual degrees of freedom (n - p)';
    case 'z':
      return 'z (normal approximation)';
  }
}

/** The default: Satterthwaite for linear mixed models (as lmerTest), z otherwise (as glmer). */
export function defaultDfMethod(isLinearMixedModel: boolean): DfMethod {
  return isLinearMixedModel ? 'satterthwaite' : 'z';
}
