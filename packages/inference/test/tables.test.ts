import { describe, expect, it } from 'vitest';
import { coefficientTable, contrastF, contrastT, randomEffectsTable, satterthwaiteModel, type DegreesOfFreedom } from '../src/index.js';
import { fitCase, lmmOf, rEstimates, relClose } from './reference.js';

describe('coefficient tables with each DF method', () => {
  it('Satterthwaite intervals at 90% as lmerTest', () => {
    const c = fitCase('factorial_slopes_reml');
    const dof: DegreesOfFreedom = { method: 'satterthwaite', model: satterthwaiteModel(lmmOf(c), c.theta, c.results.sigma) };
    const table = coefficientTable(c.problem.model.fixedNames, c.beta, c.vcov, dof, 0.9);
    expect(table.dfMethod).toBe('satterthwaite');
    table.rows.forEach((row, j) => {
      const ref = c.ref.satterthwaite_ci90![j]!;
      expect(row.name).toBe(ref.name);
      const width = ref.upper! - ref.lower!;
      expect(Math.abs(row.ciLower - ref.lower!) / width).toBeLessThan(1e-4);
      expect(Math.abs(row.ciUpper - ref.upper!) / width).toBeLessThan(1e-4);
    });
  });

  for (const [name, level] of [['unbalanced_reml', 0.95], ['cbpp_binomial_laplace', 0.9]] as const) {
    it(`${name}: residual DF (n - p) as fitglme`, () => {
      const c = fitCase(name);
      // R's estimates: the table is a function of them (GLMM standard errors differ between Hessian methods by up to 2%).
      const r = rEstimates(c.ref);
      const table = coefficientTable(c.problem.model.fixedNames, r.beta, r.vcov, { method: 'residual', df: c.ref.residualDf }, level);
      table.rows.forEach((row, j) => {
        const ref = c.ref.residual[j]!;
        expect(row.df).toBe(ref.df);
        expect(relClose(row.statistic, ref.statistic, 2e-4)).toBe(true);
        expect(relClose(row.pValue, ref.p, 2e-3)).toBe(true);
        expect(Math.abs(row.ciLower - ref.lower) / (ref.upper - ref.lower)).toBeLessThan(1e-3);
        expect(Math.abs(row.ciUpper - ref.upper) / (ref.upper - ref.lower)).toBeLessThan(1e-3);
      });
    });
  }

  it('z for a GLMM: statistics, p-values and Wald intervals as glmer', () => {
    const c = fitCase('cbpp_binomial_laplace');
    for (const [level, ref] of [[0.95, c.ref.confint_wald], [0.9, c.ref.confint_wald90!]] as const) {
      const r = rEstimates(c.ref);
      const table = coefficientTable(c.problem.model.fixedNames, r.beta, r.vcov, { method: 'z' }, level);
      table.rows.forEach((row, j) => {
        expect(row.df).toBeNull();
        const z = c.ref.z![j]!;
        expect(relClose(row.statistic, z.statistic, 1e-3)).toBe(true);
        expect(relClose(row.pValue, z.p, 1e-2)).toBe(true);
        const width = ref[j]!.upper! - ref[j]!.lower!;
        expect(Math.abs(row.ciLower - ref[j]!.lower!) / width).toBeLessThan(1e-3);
        expect(Math.abs(row.ciUpper - ref[j]!.upper!) / width).toBeLessThan(1e-3);
      });
    }
  });
});

describe('contrasts as lmerTest contest (LMM) and Wald chi-square (GLMM)', () => {
  for (const name of ['sleepstudy_slopes_reml', 'factorial_slopes_reml']) {
    it(name, () => {
      const c = fitCase(name);
      const dof: DegreesOfFreedom = { method: 'satterthwaite', model: satterthwaiteModel(lmmOf(c), c.theta, c.results.sigma) };
      for (const ref of c.ref.contrasts) {
        ref.L.forEach((l, i) => {
          const t = contrastT(l, ref.rhs[i]!, c.beta, c.vcov, dof);
          const r = ref.rows![i]!;
          expect(relClose(t.estimate, r.estimate, 1e-6, 1e-6)).toBe(true);
          expect(relClose(t.df!, r.df, 0.01)).toBe(true);
          expect(relClose(t.statistic, r.t, 1e-3, 1e-6)).toBe(true);
        });
        const F = contrastF(ref.L, ref.rhs, c.beta, c.vcov, dof);
        expect(F.numDF).toBe(ref.numDF);
        expect(relClose(F.F, ref.F, 0.005), `F ${F.F} vs ${ref.F}`).toBe(true);
        expect(relClose(F.denDF!, ref.denDF!, 0.01), `denDF ${F.denDF} vs ${ref.denDF}`).toBe(true);
        expect(relClose(F.pValue, ref.p, 0.02)).toBe(true);
      }
    });
  }

  it('cbpp: chi-square tests of period contrasts', () => {
    const c = fitCase('cbpp_binomial_laplace');
    for (const ref of c.ref.contrasts) {
      const r = rEstimates(c.ref);
      const F = contrastF(ref.L, ref.rhs, r.beta, r.vcov, { method: 'z' });
      expect(F.denDF).toBeNull();
      expect(relClose(F.F * F.numDF, ref.chiSq!, 0.005)).toBe(true);
      expect(relClose(F.pValue, ref.p, 0.02)).toBe(true);
    }
  });
});

describe('random-effects tables as fitglme randomEffects', () => {
  for (const [name, levels] of [['sleepstudy_slopes_reml', [0.95, 0.9]], ['cbpp_binomial_laplace', [0.95]], ['penicillin_crossed_reml', [0.95]]] as const) {
    it(name, () => {
      const c = fitCase(name);
      const modes = c.results.randomEffects;
      for (const level of levels) {
        const ref = level === 0.95 ? c.ref.blups : c.ref.blups90!;
        // The table is built from the fit's conditional modes; here from the results contract's rows.
        const byTerm = new Map<string, { group: string; columnNames: string[]; levels: string[]; values: number[]; condSd: number[] }>();
        for (const r of modes) {
          const key = `${r.group}|${r.term}`;
          if (!byTerm.has(key)) byTerm.set(key, { group: r.group, columnNames: [r.term], levels: [], values: [], condSd: [] });
          const m = byTerm.get(key)!;
          m.levels.push(r.level);
          m.values.push(r.value);
          m.condSd.push(r.condSd);
        }
        const table = randomEffectsTable([...byTerm.values()], 'satterthwaite', c.ref.residualDf, level);
        expect(table.dfMethod).toBe('residual');
        expect(table.rows.length).toBe(ref.length);
        for (const r of ref) {
          const row = table.rows.find((x) => x.group === r.group && x.term === r.term && x.level === r.level)!;
          expect(row, `${r.group} ${r.term} ${r.level}`).toBeDefined();
          expect(row.df).toBe(r.df);
          // The project's BLUP tolerance (fixtures/README.md): 0.02 conditional SD; the interval follows.
          const tol = 0.02 * r.se;
          expect(Math.abs(row.estimate - r.estimate)).toBeLessThan(tol);
          expect(relClose(row.stdError, r.se, 0.01)).toBe(true);
          const q = (r.upper - r.estimate) / r.se;
          expect(Math.abs(row.upper - row.estimate - q * row.stdError)).toBeLessThan(1e-6 * r.se);
          expect(Math.abs(row.lower - r.lower)).toBeLessThan(tol + 0.01 * q * r.se);
          expect(relClose(row.pValue, r.p, 0.05, 1e-6)).toBe(true);
        }
      }
    });
  }
});
