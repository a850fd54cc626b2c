import type { LatentVariance } from '@glmm/core';

/**
 * Log link: the lognormal approximation ln(1 + Var(y)/E(y)^2) of the
 * observation-level variance, the derivation Nakagawa, Johnson & Schielzeth
 * (2017) use for the Poisson, negative binomial and Gamma families; for the
 * inverse Gaussian Var/E^2 = phi λ, with λ = exp(meanEta + randomVariance / 2)
 * the expected response at the mean linear predictor.  No standard
 * definition exists for the other links.
 */
export function igLatentVariance(
  phi: number,
  link: string,
  context: { dispersion: number; meanEta: number; randomVariance: number },
): LatentVariance | null {
  if (link.toLowerCase() !== 'log') return null;
  const lambda = Math.exp(context.meanEta + context.randomVariance / 2);
  return {
    value: Math.log1p(phi * lambda),
    formula:
      `ln(1 + φλ) with φ = ${Number(phi.toPrecision(4))} the dispersion and λ = exp(β0 + σ²u/2) = ${Number(lambda.toPrecision(4))}: ` +
      'ln(1 + Var(y)/E(y)²), the lognormal approximation of Nakagawa, Johnson & Schielzeth 2017 (J R Soc Interface 14:20170213) for Var = φμ³',
  };
}
