import { DEFAULT_FIT_OPTIONS, GlmmInputError, resolvePlugin, type Estimator } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { fitProblem, glmmDeviance, lmmDeviance, modelDeviance } from '../src/estimation-adapter.js';
import { cbppCsv, container, fixtureCsv, problemFor, sleepstudyCsv } from './problem.js';

describe('estimation adapter', () => {
  it('gives the LMM deviance, its pieces and vcov(beta) at the REML optimum', () => {
    const problem = problemFor(sleepstudyCsv, 'Reaction ~ Days + (Days | Subject)', 'gaussian');
    const reml = resolvePlugin(container, 'estimator', 'reml');
    const fit = fitProblem(reml, problem);
    const dev = lmmDeviance(problem, reml, true);
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
    const ml = resolvePlugin(container, 'estimator', 'ml');
    const fit = fitProblem(ml, problem);
    const dev = lmmDeviance(problem, ml, false);
    expect(dev.profiled(fit.theta)).toBeCloseTo(-2 * fit.logLik, 8);
    expect(dev.atSigma(fit.theta, fit.sigma)).toBeCloseTo(-2 * fit.logLik, 8);
    expect(dev.profiled(Float64Array.of(fit.theta[0]! * 1.1))).toBeGreaterThan(-2 * fit.logLik);
  });

  it('refuses the LMM deviance for a GLMM, and gives the Laplace deviance at the optimum', () => {
    const problem = problemFor(cbppCsv, 'cbind(incidence, size - incidence) ~ period + (1 | herd)', 'binomial', { categorical: ['herd', 'period'] });
    const laplace = resolvePlugin(container, 'estimator', 'laplace');
    expect(() => lmmDeviance(problem, laplace, true)).toThrow(/does not apply/);
    const fit = fitProblem(laplace, problem);
    const dev = glmmDeviance(problem, laplace);
    expect(dev.deviance(fit.theta, fit.beta)).toBeCloseTo(-2 * fit.logLik, 5);
    const moved = Float64Array.from(fit.beta);
    moved[0]! += 0.05;
    expect(dev.deviance(fit.theta, moved)).toBeGreaterThan(-2 * fit.logLik);
  });

  it("gives either criterion from either LMM estimator's deviance (the pieces at theta are the same)", () => {
    const problem = problemFor(sleepstudyCsv, 'Reaction ~ Days + (1 | Subject)', 'gaussian');
    const ml = fitProblem(resolvePlugin(container, 'estimator', 'ml'), problem);
    const fromReml = lmmDeviance(problem, resolvePlugin(container, 'estimator', 'reml'), false);
    expect(fromReml.reml).toBe(false);
    expect(fromReml.profiled(ml.theta)).toBeCloseTo(-2 * ml.logLik, 8);
    expect(fromReml.sigmaAt(ml.theta)).toBeCloseTo(ml.sigma, 8);
  });

  it('starts a refit at the previous optimum (FitOptions.start): the same optimum, fewer evaluations', () => {
    const problem = problemFor(cbppCsv, 'cbind(incidence, size - incidence) ~ period + (1 | herd)', 'binomial', { categorical: ['herd', 'period'] });
    const laplace = resolvePlugin(container, 'estimator', 'laplace');
    const cold = fitProblem(laplace, problem);
    const warm = fitProblem(laplace, problem, { theta: cold.theta, beta: cold.beta });
    expect(warm.logLik).toBeCloseTo(cold.logLik, 6);
    expect(warm.convergence.evaluations).toBeLessThan(cold.convergence.evaluations);
  });

  it('holds a family parameter estimated by ML at the model\'s estimate, and asks for it', () => {
    const base = problemFor(fixtureCsv('gamma_log_laplace'), 'y ~ x1 + x2 + (1 | g)', 'gamma', { categorical: ['g'] });
    const problem = { ...base, link: resolvePlugin(container, 'link', 'log'), options: { ...DEFAULT_FIT_OPTIONS, dispersion: 'ml' as const } };
    const laplace = resolvePlugin(container, 'estimator', 'laplace');
    const fit = fitProblem(laplace, problem);
    const phi = fit.familyParameter!.estimate;
    expect(glmmDeviance(problem, laplace, phi).deviance(fit.theta, fit.beta)).toBeCloseTo(-2 * fit.logLik, 5);
    // At another dispersion the deviance is larger: the parameter is really held, not re-estimated.
    expect(glmmDeviance(problem, laplace, phi * 1.5).deviance(fit.theta, fit.beta)).toBeGreaterThan(-2 * fit.logLik + 1e-3);
    expect(() => glmmDeviance(problem, laplace)).toThrow(/depends on its dispersion/);
  });

  it('refuses a deviance of an estimator that has none (pseudo-likelihood) with one line', () => {
    const problem = problemFor(cbppCsv, 'cbind(incidence, size - incidence) ~ period + (1 | herd)', 'binomial', { categorical: ['herd', 'period'] });
    const laplace = resolvePlugin(container, 'estimator', 'laplace');
    const withoutDeviance: Estimator = { name: 'working-model', supports: laplace.supports, fit: laplace.fit };
    expect(() => modelDeviance(withoutDeviance, problem, 'this test')).toThrow(GlmmInputError);
    expect(() => glmmDeviance(problem, withoutDeviance)).toThrow(/method "working-model" has no deviance function/);
  });
});
