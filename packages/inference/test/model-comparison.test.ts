import { describe, expect, it } from 'vitest';
import { compareModels, lmmOptimum, responseFingerprint, type ComparableModel } from '../src/index.js';
import { fitCase, lmmOf, relClose, type FittedCase } from './reference.js';

function comparable(c: FittedCase): ComparableModel {
  const r = c.results;
  return {
    formula: r.formula,
    familyName: r.family,
    linkName: r.link,
    method: r.method,
    nAGQ: r.nAGQ,
    nobs: r.nobs,
    npar: r.fit.df,
    logLik: r.fit.logLik,
    fixedNames: c.problem.model.fixedNames,
    randomTerms: c.problem.model.terms.map((t, i) => ({ group: t.group, columnNames: t.columnNames, correlated: c.problem.covariances[i]!.correlated })),
    response: { name: c.problem.model.responseName, fingerprint: responseFingerprint(c.problem.model.y, c.problem.model.weights) },
    mlLogLik: () => -lmmOptimum(lmmOf(c), c.theta, false).deviance / 2,
  };
}

describe("likelihood-ratio tests against lme4's anova(m0, m1)", () => {
  for (const name of ['sleepstudy_slopes_reml', 'sleepstudy_slopes_ml', 'factorial_slopes_reml', 'cbpp_binomial_laplace']) {
    it(name, () => {
      const big = fitCase(name);
      const ref = big.ref.compare!;
      const small = fitCase(name, ref.m0);
      // Either order: the smaller model comes first.
      const result = compareModels(comparable(big), comparable(small));
      expect(result.refitted).toBe(ref.refitted);
      expect(result.df).toBe(ref.df);
      expect(Math.abs(result.chiSq - ref.chiSq)).toBeLessThan(2e-3);
      expect(relClose(result.pValue, ref.p, 0.01)).toBe(true);
      result.models.forEach((m, i) => {
        const r = ref.models[i]!;
        expect(m.npar).toBe(r.npar);
        expect(Math.abs(m.logLik - r.logLik)).toBeLessThan(1e-3);
        expect(Math.abs(m.aic - r.aic)).toBeLessThan(2e-3);
        expect(Math.abs(m.bic - r.bic)).toBeLessThan(2e-3);
      });
      if (ref.refitted) expect(result.notes.join(' ')).toMatch(/refitting model\(s\) with ML/);
    });
  }

  it('refuses models that are not nested, of different data or of different families, in one line', () => {
    const slopes = comparable(fitCase('sleepstudy_slopes_reml'));
    const intercept = comparable(fitCase('sleepstudy_slopes_reml', 'Reaction ~ Days + (1 | Subject)'));
    const noDays = comparable(fitCase('sleepstudy_slopes_reml', 'Reaction ~ 1 + (Days | Subject)'));
    // Days + (1 | Subject) vs 1 + (Days | Subject): neither nested in the other (same npar is refused first otherwise).
    expect(() => compareModels({ ...intercept, npar: 4 }, { ...noDays, npar: 5 })).toThrow(
      /not nested: fixed effect\(s\) Days of "Reaction ~ Days \+ \(1 \| Subject\)" are not in "Reaction ~ 1 \+ \(Days \| Subject\)"/,
    );
    expect(() => compareModels(noDays, { ...slopes, randomTerms: [{ group: 'Subject', columnNames: ['(Intercept)'], correlated: false }] })).toThrow(
      /not nested: the random-effects term \(\(Intercept\) \+ Days \| Subject\)/,
    );
    expect(() => compareModels(intercept, { ...slopes, nobs: 170 })).toThrow(/different data: 180 and 170 rows used/);
    expect(() => compareModels(intercept, { ...slopes, response: { name: 'Reaction', fingerprint: 'x' } })).toThrow(/response "Reaction" differs/);
    expect(() => compareModels(intercept, { ...slopes, familyName: 'poisson' })).toThrow(/different families/);
    expect(() => compareModels(intercept, intercept)).toThrow(/same number of parameters/);
    for (const f of [() => compareModels(intercept, { ...slopes, nobs: 170 })]) {
      try {
        f();
      } catch (e) {
        expect((e as Error).name).toBe('GlmmInputError');
        expect((e as Error).message).not.toMatch(/\n/);
      }
    }
  });
});
