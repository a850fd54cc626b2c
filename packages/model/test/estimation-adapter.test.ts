import { resolvePlugin } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { fitProblem, glmmDeviance, lmmDeviance } from '../src/estimation-adapter.js';
import { cbppCsv, container, problemFor, sleepstudyCsv } from './problem.js';

describe('estimation adapter', () => {
  it('gives the LMM deviance, its pieces and vcov(beta) at the REML optimum', () => {
    const problem = problemFor(sleepstudyCsv, 'Reaction ~ Days + (Days | Subject)', 'gaussian');
    const fit = fitProblem(resolvePlugin(container, 'estimator', 'reml'), problem);
    const dev = lmmDeviance(problem, true);
    expect(dev.nTheta).toBe(3);
    expect(dev.profiled(fit.theta)).toBeCloseTo(fit.remlCriterion!, 8);
    // At sigma-hat the deviance with sigma given is the profiled one; elsewhere it is larger.
    const sigma = dev.sigmaAt(fit.theta);
    expect(sigma).toBeCloseTo(fit.sigma, 8);
    expect(dev.atSigma(fit.theta, sigma)).toBeCloseTo(fit.remlCriterion!, 8);
    expect(dev.atSigma(fit.theta, sigma * 1.05)).toBeGreaterThan(fit.remlCriterion!);
    const vcov = dev.vcovBeta(fit.theta, fit.sigma);
    for (let i = 0; i < 4; i++) expect(vcov[i]).toBeCloseTo(fit.vcovBeta[i]!, 6);
    // lme4's REML criterion for sleepstudy (Days | Subject).
    expect(dev.profiled(fit.theta)).toBeCloseTo(1743.628, 2);
  });

  it('gives the ML deviance, which the ML fit minimises', () => {
    const problem = problemFor(sleepstudyCsv, 'Reaction ~ Days + (1 | Subject)', 'gaussian');
    const fit = fitProblem(resolvePlugin(container, 'estimator', 'ml'), problem);
    const dev = lmmDeviance(problem, false);
    expect(dev.profiled(fit.theta)).toBeCloseTo(-2 * fit.logLik, 8);
    expect(dev.atSigma(fit.theta, fit.sigma)).toBeCloseTo(-2 * fit.logLik, 8);
    expect(dev.profiled(Float64Array.of(fit.theta[0]! * 1.1))).toBeGreaterThan(-2 * fit.logLik);
  });

  it('refuses the LMM deviance for a GLMM, and gives the Laplace deviance at the optimum', () => {
    const problem = problemFor(cbppCsv, 'cbind(incidence, size - incidence) ~ period + (1 | herd)', 'binomial', { categorical: ['herd', 'period'] });
    expect(() => lmmDeviance(problem, true)).toThrow(/does not apply/);
    const fit = fitProblem(resolvePlugin(container, 'estimator', 'laplace'), problem);
    const dev = glmmDeviance(problem, 1);
    expect(dev.deviance(fit.theta, fit.beta)).toBeCloseTo(-2 * fit.logLik, 5);
    const moved = Float64Array.from(fit.beta);
    moved[0]! += 0.05;
    expect(dev.deviance(fit.theta, moved)).toBeGreaterThan(-2 * fit.logLik);
  });
});
