import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExtraFixture, loadFixture, type Fixture } from '@glmm/datasets';
import { fitGlmm, readCsvFile } from '@glmm/glmm';

/*
 * GLMMs with the dispersion estimated by maximum likelihood
 * (FitOptions.dispersion = "ml"), the true Laplace with 1/phi in the weights
 * and the observed information in the log-determinant, against glmmTMB
 * (packages/datasets/r/make-glmmtmb-references.R wrote glmmtmb.json beside
 * each fixture).
 */
interface TmbReference {
  fixef: { name: string; estimate: number; se: number }[];
  logLik: number;
  df: number;
  AIC: number;
  sigma: number;
  dispersion: number;
  log_dispersion_se: number;
  terms: { group: string; names: string[]; sd: number[]; correlation: number[][] }[];
}

const fixtures: Fixture[] = [
  loadFixture('gamma_log_laplace'),
  loadExtraFixture('gamma_slopes_laplace'),
  loadExtraFixture('gamma_crossed_reps_laplace'),
  loadExtraFixture('gaussian_log_laplace'),
];

describe('dispersion by ML against glmmTMB (Gamma, gaussian with the log link)', () => {
  for (const fixture of fixtures) {
    const tmb = JSON.parse(readFileSync(join(dirname(fixture.csvPath), 'glmmtmb.json'), 'utf8')) as TmbReference;
    it(`${fixture.name}: ${fixture.reference.formula}`, () => {
      const ref = fixture.reference;
      const categorical = Object.entries(ref.column_types)
        .filter(([, t]) => t === 'categorical')
        .map(([c]) => c);
      const r = fitGlmm({ formula: ref.formula, data: readCsvFile(fixture.csvPath), family: ref.family, link: ref.link, categorical, options: { dispersion: 'ml' } });
      expect(r.convergence.converged).toBe(true);
      expect(r.fit.logLik).toBeGreaterThan(tmb.logLik - 1e-6);
      expect(Math.abs(r.fit.logLik - tmb.logLik)).toBeLessThan(1e-5);
      expect(r.fit.df).toBe(tmb.df);
      r.fixedEffects.forEach((e, i) => {
        expect(e.name).toBe(tmb.fixef[i]!.name);
        expect(Math.abs(e.estimate - tmb.fixef[i]!.estimate) / tmb.fixef[i]!.se, e.name).toBeLessThan(1e-3);
        expect(Math.abs(e.stdError / tmb.fixef[i]!.se - 1), `SE of ${e.name}`).toBeLessThan(1e-3);
      });
      const parameter = r.familyParameter!;
      expect(parameter.name).toBe('dispersion');
      expect(Math.abs(parameter.estimate / tmb.dispersion - 1)).toBeLessThan(1e-4);
      expect(Math.abs(parameter.stdError! / (tmb.dispersion * tmb.log_dispersion_se) - 1)).toBeLessThan(1e-2);
      expect(r.dispersion).toBeCloseTo(parameter.estimate, 12);
      expect(Math.abs(r.sigma / tmb.sigma - 1)).toBeLessThan(1e-4);
      for (const term of tmb.terms)
        term.names.forEach((name, c) => {
          const row = r.varianceComponents.find((v) => v.group === term.group && v.term === name && v.term2 === undefined)!;
          expect(Math.abs(row.stdDev / term.sd[c]! - 1), `SD of ${term.group} ${name}`).toBeLessThan(1e-3);
        });
    });
  }

  it("keeps lme4's moment estimate by default, with no family parameter", () => {
    const fixture = fixtures[0]!;
    const r = fitGlmm({ formula: fixture.reference.formula, data: readCsvFile(fixture.csvPath), family: 'gamma', link: 'log', categorical: ['g'] });
    expect(r.familyParameter).toBeNull();
    expect(r.fit.logLik).toBeCloseTo(fixture.reference.logLik, 3);
  });

  it('refuses ML dispersion for a family without a parameter, and an unknown dispersion option', () => {
    const fixture = loadFixture('cbpp_binomial_laplace');
    const request = { formula: fixture.reference.formula, data: readCsvFile(fixture.csvPath), family: 'binomial', categorical: ['herd', 'period'] };
    expect(() => fitGlmm({ ...request, options: { dispersion: 'ml' } })).toThrow(/declares no parameter to estimate by maximum likelihood/);
    expect(() => fitGlmm({ ...request, options: { dispersion: 'pearson' as 'ml' } })).toThrow(/dispersion must be "moment" or "ml"/);
  });
});
