import type { Family } from '@glmm/core';

/**
 * The family as the fit left it, for residuals and simulation: a shape
 * estimated by maximum likelihood (the negative binomial's) fixed at its
 * estimate, since V(mu) and the draws depend on it.  A dispersion estimated
 * by ML stays the model's dispersion (est.dispersion), so residuals are on
 * the unit scale as R reports them and simulate() is given phi, as for a
 * moment estimate.
 */
export function fittedFamily(family: Family, familyParameter: number | null): Family {
  const parameter = family.parameter;
  if (!parameter || familyParameter === null || parameter.isDispersion) return family;
  return parameter.at(familyParameter);
}
