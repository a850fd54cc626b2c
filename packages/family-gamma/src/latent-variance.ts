import type { LatentVariance } from '@glmm/core';

/**
 * Log link: the lognormal approximation ln(1 + 1/ν) of the observation-level
 * variance, ν the Gamma shape, i.e. ln(1 + φ) with φ = 1/ν the dispersion.
 */
export function gammaLatentVariance(
  link: string,
  context: { dispersion: number; meanEta: number; randomVariance: number },
): LatentVariance | null {
  if (link.toLowerCase() !== 'log') return null;
  return {
    value: Math.log1p(context.dispersion),
    formula:
      'ln(1 + 1/ν) = ln(1 + φ), ν the Gamma shape and φ = 1/ν the dispersion, lognormal approximation ' +
      '(Nakagawa, Johnson & Schielzeth 2017, J R Soc Interface 14:20170213)',
  };
}
