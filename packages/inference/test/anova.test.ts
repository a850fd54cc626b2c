import { DEFAULT_FIT_OPTIONS, listPlugins, resolvePlugin, type FitProblem } from '@glmm/core';
import { buildModelFrame } from '@glmm/formula';
import { createDefaultContainer } from '@glmm/glmm';
import { lmmDeviance } from '@glmm/model';
import { describe, expect, it } from 'vitest';
import { anovaTable, satterthwaiteModel, type AnovaTable } from '../src/index.js';
import { fitCase, lmmOf, relClose, type RefAnovaRow } from './reference.js';

function expectTable(table: AnovaTable, ref: RefAnovaRow[], what: string): void {
  expect(table.terms.map((t) => t.term)).toEqual(ref.map((r) => r.term));
  table.terms.forEach((row, i) => {
    const r = ref[i]!;
    expect(row.numDF, `${what} ${r.term} numDF`).toBe(r.numDF);
    expect(relClose(row.F, r.F, 0.005), `${what} ${r.term} F ${row.F} vs ${r.F}`).toBe(true);
    expect(relClose(row.denDF!, r.denDF, 0.01), `${what} ${r.term} denDF ${row.denDF} vs ${r.denDF}`).toBe(true);
    expect(relClose(row.pValue, r.p, 0.02), `${what} ${r.term} p ${row.pValue} vs ${r.p}`).toBe(true);
  });
}

describe('anova against lmerTest (Satterthwaite)', () => {
  for (const name of ['sleepstudy_slopes_reml', 'factorial_slopes_reml', 'unbalanced_reml']) {
    it(`${name}: Type III and marginal`, () => {
      const c = fitCase(name);
      const model = satterthwaiteModel(lmmOf(c), c.theta, c.results.sigma);
      const dof = { method: 'satterthwaite', model } as const;
      const type3 = anovaTable(c.encoding, c.beta, c.vcov, dof, '3');
      expect(type3.dfMethod).toBe('satterthwaite');
      expectTable(type3, c.ref.anova!.type3, 'type 3');
      expectTable(anovaTable(c.encoding, c.beta, c.vcov, dof, 'marginal'), c.ref.anova!.marginal, 'marginal');
    });
  }

  it('Type III does not depend on the coding: effects-coded fits give the same table', () => {
    for (const name of ['factorial_slopes_reml', 'unbalanced_reml']) {
      const c = fitCase(name);
      // The same model under effects (sum-to-zero) coding, at the same theta (theta does not depend on the coding).
      const { model, encoding } = buildModelFrame(c.ref.formula, c.data, { categorical: c.ref.categorical, coding: 'effects' });
      expect(encoding.fixedNames.some((n) => /[AB]1/.test(n))).toBe(true);
      const container = createDefaultContainer();
      const problem: FitProblem = {
        ...c.problem,
        model,
        covariances: model.terms.map((t) => resolvePlugin(container, 'covariance', t.covariance)),
        optimizers: listPlugins(container, 'optimizer').map((n) => resolvePlugin(container, 'optimizer', n)),
        options: DEFAULT_FIT_OPTIONS,
      };
      const dev = lmmDeviance(problem, c.estimator, true);
      const sigma = dev.sigmaAt(c.theta);
      const terms = dev.terms(c.theta)!;
      const vcov = dev.vcovBeta(c.theta, sigma);
      const dof = { method: 'satterthwaite', model: satterthwaiteModel(dev, c.theta, sigma) } as const;
      const table = anovaTable(encoding, terms.beta, vcov, dof, '3');
      expectTable(table, c.ref.anova!.type3_sum_coding!, `${name} effects-coded type 3`);
      // ... while the marginal test changes with the coding (here the main effects become averages over the other factor).
      const marginal = anovaTable(encoding, terms.beta, vcov, dof, 'marginal');
      expect(Math.abs(marginal.terms[0]!.F / c.ref.anova!.marginal[0]!.F - 1)).toBeGreaterThan(0.01);
    }
  });
});
