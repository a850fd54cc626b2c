import type { LatentVariance } from '@glmm/core';

const SOURCE_2010 = 'Nakagawa & Schielzeth 2010, Biol Rev 85:935-956';
const SOURCE_2017 = 'Nakagawa, Johnson & Schielzeth 2017, J R Soc Interface 14:20170213';

/**
 * Variance of the latent distribution whose threshold gives the binary
 * outcome: standard logistic (logit), standard normal (probit) or standard
 * Gumbel (cloglog).  It does not depend on the fit.
 */
export function binomialLatentVariance(
  link: string,
  _context: { dispersion: number; meanEta: number; randomVariance: number },
): LatentVariance | null {
  switch (link.toLowerCase()) {
    case 'logit':
      return {
        value: (Math.PI * Math.PI) / 3,
        formula: `π²/3 ≈ 3.290, the variance of the standard logistic distribution (latent-scale ICC; ${SOURCE_2010}; ${SOURCE_2017})`,
      };
    case 'probit':
      return {
        value: 1,
        formula: `1, the variance of the standard normal distribution (latent-scale ICC; ${SOURCE_2010}; ${SOURCE_2017})`,
      };
    case 'cloglog':
      return {
        value: (Math.PI * Math.PI) / 6,
        formula: `π²/6 ≈ 1.645, the variance of the standard Gumbel distribution (latent-scale ICC; ${SOURCE_2017})`,
      };
    default:
      return null;
  }
}
