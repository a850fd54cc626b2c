import { describe, expect, it } from 'vitest';
import { fitGlmm, readCsvFile } from '@glmm/glmm';

// lme4's data sets shipped with the benchmark (see packages/bench/data/README.md).
const data = (name: string) => readCsvFile(new URL(`../../bench/data/${name}`, import.meta.url).pathname);

describe('lme4 optimum on larger crossed models', () => {
  it('InstEval (73,421 rows, three crossed terms, ML) reaches logLik -118825.8914', () => {
    const r = fitGlmm({
      formula: 'y ~ service + (1 | s) + (1 | d) + (1 | dept:service)',
      data: data('insteval.csv'),
      method: 'ml',
      categorical: ['s', 'd', 'dept', 'service'],
    });
    expect(r.nobs).toBe(73421);
    expect(r.ngroups).toEqual({ s: 2972, d: 1128, 'dept:service': 28 });
    // Not below lme4's optimum by more than the fixture tolerance, and not implausibly above it.
    expect(r.fit.logLik).toBeGreaterThan(-118825.8914 - 0.001 - 1e-6 * 118825.8914);
    expect(r.fit.logLik).toBeLessThan(-118825.8914 + 0.02);
    expect(r.convergence.converged).toBe(true);
  });

  it('VerbAgg (binomial, crossed id and item, Laplace) reaches lme4 logLik -4075.7002 or better', () => {
    const r = fitGlmm({
      formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)',
      data: data('verbagg.csv'),
      family: 'binomial',
      categorical: ['id', 'item'],
    });
    expect(r.nobs).toBe(7584);
    expect(r.fit.logLik).toBeGreaterThan(-4075.7002 - 0.001);
    expect(r.fit.logLik).toBeLessThan(-4075.7002 + 0.02);
  });
});
