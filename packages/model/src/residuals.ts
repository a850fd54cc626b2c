import { GlmmInputError, type Family } from '@glmm/core';

/**
 * Residual types as lme4 defines them (residuals.merMod): 'response' is
 * y - mu; 'pearson' is (y - mu) sqrt(w) / sqrt(V(mu)), not divided by
 * sigma (for a linear mixed model that is sqrt(w)(y - mu); lme4's
 * scaled = TRUE, and fitglme's Pearson residuals, divide by sigma);
 * 'deviance' is sign(y - mu) sqrt(d(y, mu)).  y is on the model's scale
 * (binomial: proportions, w the trials).
 */
export type ResidualType = 'response' | 'pearson' | 'deviance';

export const RESIDUAL_TYPES: readonly ResidualType[] = ['response', 'pearson', 'deviance'];

export function residualsOf(y: Float64Array, mu: Float64Array, weights: Float64Array, family: Family, type: ResidualType): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  switch (type) {
    case 'response':
      for (let i = 0; i < n; i++) out[i] = y[i]! - mu[i]!;
      return out;
    case 'pearson': {
      const v = family.variance(mu);
      for (let i = 0; i < n; i++) out[i] = ((y[i]! - mu[i]!) * Math.sqrt(weights[i]!)) / Math.sqrt(v[i]!);
      return out;
    }
    case 'deviance': {
      const d = family.devResiduals(y, mu, weights);
      for (let i = 0; i < n; i++) out[i] = (y[i]! >= mu[i]! ? 1 : -1) * Math.sqrt(Math.max(d[i]!, 0));
      return out;
    }
    default:
      throw new GlmmInputError(`residual type must be one of ${RESIDUAL_TYPES.join(', ')}, got "${String(type)}"`);
  }
}
