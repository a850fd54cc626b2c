import { readFileSync } from 'node:fs';
import { readCsvFile } from '@glmm/node-io';
import { fitModel, loadModel, saveModel } from '@glmm/glmm';
import { validateResults } from '@glmm/report';
import { describe, expect, it } from 'vitest';
import { anova, bootstrap, coefCI, coefTest, compare, confint, fixedEffectsTable, withDegreesOfFreedom } from '../src/index.js';
import { datasetsRoot, loadReference, relClose } from './reference.js';

function fitted(name: string, formula?: string) {
  const ref = loadReference(name);
  const data = readCsvFile(`${datasetsRoot}${ref.data}`);
  const model = fitModel({ formula: formula ?? ref.formula, data, family: ref.family, method: ref.method.toLowerCase(), categorical: ref.categorical });
  return { ref, data, model };
}

describe('inference on the model object (GlmmModel)', () => {
  it('defaults: Satterthwaite t for an LMM, z for a GLMM; the method is named in every output', () => {
    const { ref, model } = fitted('factorial_slopes_reml');
    const table = fixedEffectsTable(model);
    expect(table.dfMethod).toBe('satterthwaite');
    table.rows.forEach((r, j) => expect(relClose(r.df!, ref.satterthwaite![j]!.df!, 0.01)).toBe(true));
    const a = anova(model);
    expect(a.dfMethod).toBe('satterthwaite');
    expect(a.type).toBe('3');
    a.terms.forEach((t, i) => expect(relClose(t.F, ref.anova!.type3[i]!.F, 0.005)).toBe(true));
    expect(anova(model, { ddf: 'residual' }).terms[0]!.denDF).toBe(ref.residualDf);
    const glmm = fitted('cbpp_binomial_laplace').model;
    expect(fixedEffectsTable(glmm).dfMethod).toBe('z');
    expect(anova(glmm).terms[0]!.denDF).toBeNull();
    expect(() => anova(glmm, { ddf: 'satterthwaite' })).toThrow(/Satterthwaite's degrees of freedom are defined for linear mixed models/);
  });

  it('coefTest with the CLI string form, and coefCI for fixed effects and BLUPs', () => {
    const { ref, model } = fitted('factorial_slopes_reml');
    const r = coefTest(model, ['Bb2 - Bb3 = 0', 'Aa2:Bb2 - Aa2:Bb3 = 0']);
    const joint = ref.contrasts[1]!;
    expect(r.numDF).toBe(2);
    expect(relClose(r.F, joint.F, 0.005)).toBe(true);
    expect(relClose(r.denDF!, joint.denDF!, 0.01)).toBe(true);
    expect(r.rows.map((x) => x.contrast)).toEqual(['Bb2 - Bb3 = 0', 'Aa2:Bb2 - Aa2:Bb3 = 0']);
    expect(relClose(r.rows[0]!.df!, joint.rows![0]!.df, 0.01)).toBe(true);
    const ci = coefCI(model, { level: 0.9 });
    expect(ci.fixed.level).toBe(0.9);
    expect(ci.random.dfMethod).toBe('residual');
    expect(ci.random.rows.length).toBe(48);
  });

  it('confint: profile for an LMM, Wald for a GLMM (and Wald for an LMM from Satterthwaite\'s A)', () => {
    const { ref, model } = fitted('sleepstudy_slopes_reml');
    const prof = confint(model);
    expect(prof.method).toBe('profile');
    prof.rows.forEach((row, i) => {
      const r = ref.confint_profile![0]!.rows[i]!;
      expect(row.name).toBe(r.name);
      expect(Math.abs(row.lower! - r.lower!) / (r.upper! - r.lower!)).toBeLessThan(0.01);
    });
    const wald = confint(model, { method: 'wald' });
    for (const r of ref.wald_varpar) {
      const row = wald.rows.find((x) => x.name === r.name)!;
      expect(Math.abs(row.lower! - r.lower!) / (r.upper! - r.lower!)).toBeLessThan(0.01);
      expect(Math.abs(row.upper! - r.upper!) / (r.upper! - r.lower!)).toBeLessThan(0.01);
    }
    const glmm = fitted('cbpp_binomial_laplace');
    const g = confint(glmm.model, { method: 'profile' });
    expect(g.method).toBe('wald');
    expect(g.notes[0]).toMatch(/profile intervals are implemented for linear mixed models/);
    expect(g.rows.map((x) => x.name)).toEqual(['sd_(Intercept)|herd', '(Intercept)', 'period2', 'period3', 'period4']);
  });

  it('confint of a pseudo-likelihood fit: no likelihood, so fixed-effect intervals only, with a note', () => {
    const ref = loadReference('cbpp_binomial_laplace');
    const data = readCsvFile(`${datasetsRoot}${ref.data}`);
    const pql = fitModel({ formula: ref.formula, data, family: ref.family, method: 'pql', categorical: ref.categorical });
    const t = confint(pql);
    expect(t.notes.some((n) => /method "pql" has no likelihood/.test(n))).toBe(true);
    expect(t.rows[0]!.name).toBe('sd_(Intercept)|herd');
    expect([t.rows[0]!.lower, t.rows[0]!.upper]).toEqual([null, null]);
    expect(t.rows.slice(1).every((r) => r.lower !== null && r.upper !== null)).toBe(true);
  });

  it('compare: nested models, REML refitted by ML', () => {
    const { ref, model } = fitted('sleepstudy_slopes_reml');
    const small = fitted('sleepstudy_slopes_reml', ref.compare!.m0).model;
    const c = compare(small, model);
    expect(c.refitted).toBe(true);
    expect(Math.abs(c.chiSq - ref.compare!.chiSq)).toBeLessThan(2e-3);
    expect(c.models.map((m) => m.npar)).toEqual([4, 6]);
  });

  it('a model saved without its data: z and residual tests work, what needs the data says so', () => {
    const { ref, model } = fitted('sleepstudy_slopes_reml');
    // Without the fitted rows (the save option is `design` or `data` by the model package's version).
    const loaded = loadModel(saveModel(model, { design: false, data: false } as unknown as Parameters<typeof saveModel>[1]));
    expect(loaded.hasData).toBe(false);
    // z and residual need nothing but the estimates.
    expect(anova(loaded, { ddf: 'z' }).terms[0]!.F).toBeCloseTo(ref.anova!.type3[0]!.F, 1);
    expect(() => confint(loaded)).toThrow(/needs the data the model was fitted to.*--data/);
    // Satterthwaite's DF need the deviance at other parameters, unless the model carries them (InferenceModel.satterthwaite).
    expect(() => anova(loaded)).toThrow(/Satterthwaite's degrees of freedom need the data the model was fitted to .*--data/);
    expect(() => bootstrap(loaded, { nsim: 5, seed: 1 })).toThrow(/needs the rows the model was fitted to|simulate/);
    const withData = loadModel(saveModel(model, { design: false, data: false } as unknown as Parameters<typeof saveModel>[1]), {
      data: readCsvFile(`${datasetsRoot}${ref.data}`),
    });
    expect(anova(withData).dfMethod).toBe('satterthwaite');
  });

  it('bootstrap with the model\'s simulate and refit', () => {
    const { model } = fitted('sleepstudy_slopes_reml');
    const seen: number[] = [];
    const b = bootstrap(model, { nsim: 20, seed: 7, onProgress: (p) => seen.push(p.iteration!) });
    expect(seen.length).toBe(20);
    expect(b.rows.map((r) => r.name)).toEqual(['(Intercept)', 'Days', 'sd_(Intercept)|Subject', 'cor_Days.(Intercept)|Subject', 'sd_Days|Subject', 'sigma']);
    expect(bootstrap(model, { nsim: 20, seed: 7 }).rows).toEqual(b.rows);
  });

  it('withDegreesOfFreedom: the results contract gains df per row, dfMethod and the level, and stays valid', () => {
    const { model } = fitted('sleepstudy_slopes_reml');
    const results = withDegreesOfFreedom(model.results, fixedEffectsTable(model, { level: 0.9 }));
    expect(results.dfMethod).toBe('satterthwaite');
    expect(results.confidenceLevel).toBe(0.9);
    expect(results.fixedEffects[1]!.df).toBeCloseTo(17, 2);
    expect(validateResults(JSON.parse(JSON.stringify(results))).valid).toBe(true);
    expect(results.diagnostics.row.length).toBe(180);
    void readFileSync;
  });
});
