import type { LatentVariance } from '@glmm/core';

/**
 * For a linear mixed model the residual variance is already on the scale of
 * the random effects; on other links no latent-scale variance is standard.
 */
export function gaussianLatentVariance(
  link: string,
  context: { dispersion: number; meanEta: number; randomVariance: number },
): LatentVariance | null {
  if (link.toLowerCase() !== 'identity') return null;
  return {
    value: context.dispersion,
    formula: 'σ²ε, the residual variance of the linear mixed model (ICC = σ²u / (σ²u + σ²ε))',
  };
}
