import type { LatentVariance } from '@glmm/core';

const SOURCE_2017 = 'Nakagawa, Johnson & Schielzeth 2017, J R Soc Interface 14:20170213';

/**
 * Log link: the lognormal approximation of the observation-level variance of
 * NB2 counts, ln(1 + 1/λ + 1/θ), with λ the expected count at the mean linear
 * predictor averaged over the random effects, exp(meanEta + randomVariance / 2),
 * and θ the shape (at θ = Infinity the Poisson ln(1 + 1/λ)).  No standard
 * definition exists for the other links.
 */
export function nbLatentVariance(
  theta: number,
  link: string,
  context: { dispersion: number; meanEta: number; randomVariance: number },
): LatentVariance | null {
  if (link.toLowerCase() !== 'log') return null;
  const lambda = Math.exp(context.meanEta + context.randomVariance / 2);
  const shape = Number.isFinite(theta) ? `, θ = ${Number(theta.toPrecision(4))} the shape` : ', θ = ∞ (Poisson limit)';
  return {
    value: Math.log1p(1 / lambda + 1 / theta),
    formula: `ln(1 + 1/λ + 1/θ) with λ = exp(β0 + σ²u/2) = ${Number(lambda.toPrecision(4))}${shape}, lognormal approximation (${SOURCE_2017})`,
  };
}
