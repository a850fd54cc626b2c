import type { LatentVariance } from '@glmm/core';

const SOURCE_2017 = 'Nakagawa, Johnson & Schielzeth 2017, J R Soc Interface 14:20170213';
const SOURCE_2010 = 'Nakagawa & Schielzeth 2010, Biol Rev 85:935-956';

/**
 * Log link: the lognormal approximation of the observation-level variance,
 * ln(1 + 1/λ), with λ the expected count at the mean linear predictor,
 * averaged over the random effects: exp(meanEta + randomVariance / 2).
 * Square-root link: the variance of sqrt(y) for Poisson y is about 1/4.
 */
export function poissonLatentVariance(
  link: string,
  context: { dispersion: number; meanEta: number; randomVariance: number },
): LatentVariance | null {
  switch (link.toLowerCase()) {
    case 'log': {
      const lambda = Math.exp(context.meanEta + context.randomVariance / 2);
      return {
        value: Math.log1p(1 / lambda),
        formula: `ln(1 + 1/λ) with λ = exp(β0 + σ²u/2) = ${Number(lambda.toPrecision(4))}, lognormal approximation (${SOURCE_2017})`,
      };
    }
    case 'sqrt':
      return { value: 0.25, formula: `0.25, the variance of √y for Poisson counts (${SOURCE_2010})` };
    default:
      return null;
  }
}
