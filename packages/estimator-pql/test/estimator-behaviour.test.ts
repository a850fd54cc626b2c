import { defineBundle, definePlugin, FitAbortedError, GlmmInputError, type FitProgress, type GlmmResults } from '@glmm/core';
import { createDefaultContainer, fitGlmm, readCsvFile } from '@glmm/glmm';
import { validateResults } from '@glmm/report';
import { describe, expect, it } from 'vitest';
import { createPseudoLikelihoodEstimator, type PseudoLikelihoodSettings } from '../src/index.js';
import { plCases } from './pl-reference.js';

const bacteria = plCases().find((c) => c.name === 'bacteria/pql_estimated')!;
const bacteriaData = readCsvFile(bacteria.csvPath);
const sleepstudy = plCases().find((c) => c.name === 'sleepstudy_gaussian/pql_estimated')!;

function fit(method: string, extra: Partial<Parameters<typeof fitGlmm>[0]> = {}): GlmmResults {
  return fitGlmm({ formula: 'y ~ trt + week2 + (1 | ID)', data: bacteriaData, family: 'binomial', method, categorical: ['trt', 'ID'], ...extra });
}

/** A container with one extra pseudo-likelihood estimator, registered as a host app would. */
function withEstimator(name: string, method: 'PQL' | 'MPL' | 'REMPL', settings: PseudoLikelihoodSettings) {
  return createDefaultContainer(defineBundle(`test:${name}`, [definePlugin('estimator', name, createPseudoLikelihoodEstimator(method, settings))]));
}

function allFinite(r: GlmmResults): boolean {
  return validateResults(JSON.parse(JSON.stringify(r))).valid;
}

describe('pseudo-likelihood estimators through fitGlmm', () => {
  it('are registered in the default container as pql, mpl and rempl', () => {
    for (const [method, label] of [
      ['pql', 'PQL'],
      ['mpl', 'MPL'],
      ['rempl', 'REMPL'],
    ] as const) {
      const r = fit(method);
      expect(r.method).toBe(label);
      expect(validateResults(JSON.parse(JSON.stringify(r)))).toEqual({ valid: true, errors: [] });
    }
  });

  it('say in a structured warning that logLik, AIC and BIC are a pseudo-likelihood', () => {
    for (const method of ['pql', 'mpl', 'rempl']) {
      const note = fit(method).warnings.find((w) => w.code === 'pseudo-likelihood');
      expect(note?.message).toMatch(/pseudo log-likelihood of the working linear mixed model/);
      expect(note?.message).toMatch(/not comparable with Laplace/);
    }
    // fitglme's default for binomial: the dispersion is fixed at 1 (and said so).
    expect(fit('mpl').warnings.find((w) => w.code === 'pseudo-likelihood')?.message).toMatch(/fixed at 1/);
  });

  it('carry no such note for a linear mixed model, whose pseudo-likelihood is the likelihood', () => {
    const r = fitGlmm({ formula: sleepstudy.reference.formula, data: readCsvFile(sleepstudy.csvPath), method: 'mpl', categorical: ['Subject'] });
    expect(r.warnings.map((w) => w.code)).not.toContain('pseudo-likelihood');
  });

  it('report a PL iteration that runs out of iterations as not converged, with finite results', () => {
    const container = withEstimator('pql-2', 'PQL', { iterations: 2 });
    const r = fit('pql-2', { container });
    expect(r.convergence.converged).toBe(false);
    expect(r.convergence.iterations).toBe(2);
    expect(r.warnings.find((w) => w.code === 'not-converged')?.message).toMatch(/did not converge in 2 iterations/);
    expect(allFinite(r)).toBe(true);
  });

  it("take --max-iter and --tol as the PL iteration's cap and tolerance", () => {
    const capped = fit('mpl', { options: { maxIterations: 3 } });
    expect(capped.convergence.iterations).toBe(3);
    expect(capped.convergence.converged).toBe(false);
    const loose = fit('mpl', { options: { tolerance: 1e-3 } });
    expect(loose.convergence.converged).toBe(true);
    expect(loose.convergence.iterations).toBeLessThan(fit('mpl').convergence.iterations);
  });

  it('reach the same fixed point from a given MuStart', () => {
    const container = withEstimator('mpl-mustart', 'MPL', { muStart: 0.5 });
    const a = fit('mpl');
    const b = fit('mpl-mustart', { container });
    a.fixedEffects.forEach((f, i) => expect(b.fixedEffects[i]!.estimate).toBeCloseTo(f.estimate, 6));
    expect(b.theta[0]).toBeCloseTo(a.theta[0]!, 6);
  });

  it('refuse bad settings with one clear line', () => {
    expect(() => fit('bad', { container: withEstimator('bad', 'MPL', { iterations: 0 }) })).toThrow(GlmmInputError);
    expect(() => fit('bad', { container: withEstimator('bad', 'MPL', { muStart: 1.5 }) })).toThrow(/MuStart.*outside the binomial family's range/);
    expect(() => fit('bad', { container: withEstimator('bad', 'MPL', { muStart: new Float64Array(3).fill(0.5) }) })).toThrow(/MuStart has 3 values for 220 rows/);
  });

  it('report progress per iteration and stop when aborted', () => {
    const events: FitProgress[] = [];
    const r = fit('mpl', { onProgress: (e) => events.push(e) });
    const iterations = events.filter((e) => e.stage === 'iteration');
    expect(iterations.length).toBe(r.convergence.iterations);
    expect(iterations.every((e) => Number.isFinite(e.deviance))).toBe(true);
    // fitGlmm reports the model frame (before and after it is built), then the estimator its stages.
    expect(events.slice(0, 3).map((e) => e.stage)).toEqual(['model-frame', 'model-frame', 'start']);
    expect(events.at(-1)!.stage).toBe('finalise');
    const controller = new AbortController();
    let seen = 0;
    expect(() =>
      fit('mpl', {
        signal: controller.signal,
        onProgress: (e) => {
          if (e.stage === 'iteration' && ++seen === 2) controller.abort();
        },
      }),
    ).toThrow(FitAbortedError);
  });

  it('keep a count model whose identity link leaves the mean space finite, and say where it stopped', () => {
    // Counts that fall to 0 half-way: a linear mean below 0 is where the fit heads.
    const rows = Array.from({ length: 200 }, (_, r) => {
      const x = r % 10;
      return { y: x < 5 ? Math.round(6 - 1.2 * x + (r % 3)) : r % 7 === 0 ? 1 : 0, x, g: `g${Math.floor(r / 10)}` };
    });
    const stops = { pql: /left the range of the identity link/, mpl: /not positive definite; the fit stopped/, rempl: /not positive definite; the fit stopped/ };
    for (const [method, why] of Object.entries(stops)) {
      const r = fitGlmm({ formula: 'y ~ x + (1 | g)', data: rows, family: 'poisson', link: 'identity', method });
      expect(allFinite(r)).toBe(true);
      expect(r.convergence.converged).toBe(false);
      expect(r.warnings.find((w) => w.code === 'not-converged')?.message).toMatch(why);
    }
  });
});
