import { createContainer, listPlugins, resolvePlugin } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { buildResults, renderFitglmeText, renderHtml, renderJson, renderText, reportBundle, varCorrLines } from '../src/index.js';
import { gaussianLike, handFit, handModel } from './hand-fit.js';

const results = (over: Parameters<typeof handFit>[0] = {}) =>
  buildResults(handFit(over), handModel(), {
    formula: 'y ~ x + (1 + x | g) + (1 | h)',
    family: gaussianLike(),
    link: 'identity',
    fitSeconds: 0.25,
  });

describe('text reporter', () => {
  const text = renderText(results());
  const lines = text.split('\n');

  it('lists the BLUPs with their conditional SDs, as MIDAS does', () => {
    const at = lines.indexOf('Random-effect predictions (BLUPs):');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^Group\s+Term\s+Level\s+Prediction\s+Cond\. SD$/);
    // hand-fit: g has levels a, b with (Intercept) and x; h has p, q, r.
    expect(lines[at + 2]!.split(/\s+/)).toEqual(['g', '(Intercept)', 'a', '0.5', '0.30']);
    expect(lines.slice(at + 2, at + 9)).toHaveLength(7);
  });

  it('has an lme4-style header', () => {
    expect(lines.slice(0, 4)).toEqual([
      'Linear mixed model fit by REML',
      ' Family: gaussian  ( identity )',
      'Formula: y ~ x + (1 + x | g) + (1 | h)',
      'Rows excluded: 1 of 7 rows (missing: 1)',
    ]);
  });

  it('prints the information criteria and the REML criterion', () => {
    const i = lines.findIndex((l) => /^\s*AIC\s+BIC\s+logLik\s+deviance\s+df\.resid$/.test(l));
    expect(i).toBeGreaterThan(0);
    // lme4's .prt.aictab: rounded to one decimal and formatted together; df.resid alone.
    expect(lines[i + 1]!.trim().split(/\s+/)).toEqual(['34.0', '32.5', '-10.0', '20.0', '-1']);
    expect(text).toContain('REML criterion at convergence: 20\n');
  });

  it('prints the random-effects table with correlations and the Residual', () => {
    const i = lines.indexOf('Random effects:');
    expect(lines[i + 1]!.trim().split(/\s+/)).toEqual(['Groups', 'Name', 'Variance', 'Std.Dev.', 'Corr']);
    // format(c(4, 0.25, 1, 4), digits = 4) and format(c(2, 0.5, 1, 2), digits = 4) in R; correlations to 2 decimals.
    expect(lines[i + 2]!.trim().split(/\s+/)).toEqual(['g', '(Intercept)', '4.00', '2.0']);
    expect(lines[i + 3]!.trim().split(/\s+/)).toEqual(['x', '0.25', '0.5', '0.60']);
    expect(lines[i + 4]!.trim().split(/\s+/)).toEqual(['h', '(Intercept)', '1.00', '1.0']);
    expect(lines[i + 5]!.trim().split(/\s+/)).toEqual(['Residual', '4.00', '2.0']);
    expect(lines[i + 6]).toBe('Number of obs: 6, groups:  g, 2; h, 3');
    // Columns are aligned: the Variance column starts at the same offset on every row.
    const starts = [i + 2, i + 3, i + 4, i + 5].map((k) => lines[k]!.search(/\d/));
    expect(new Set(starts).size).toBe(1);
  });

  it('prints ICC and design effect', () => {
    const i = lines.indexOf('Intraclass correlation (at covariates = 0):');
    expect(lines[i + 2]!.trim().split(/\s+/).slice(0, 4)).toEqual(['g', '0.4444', '1.889', '3']);
    expect(lines[i + 3]!.trim().split(/\s+/).slice(0, 4)).toEqual(['h', '0.1111', '1.111', '2']);
    // MIDAS's bands: 0.05-0.20 small to moderate, 0.20-0.50 large.
    expect(lines[i + 2]).toMatch(/large group effect \(0\.20-0\.50\)$/);
    expect(lines[i + 3]).toMatch(/small to moderate group effect \(0\.05-0\.20\)$/);
    // The residual variance is the model's own (a Residual row of 4): not on a latent scale.
    expect(lines[i + 4]).toBe(' Residual variance: 4 = sigma^2 (residual variance)');
    expect(lines[i + 5]).toMatch(/^ MIDAS bands are a rough guide/);
  });

  it('prints the fixed effects with z, p and confidence intervals', () => {
    const i = lines.indexOf('Fixed effects:');
    expect(lines[i + 1]!.trim().split(/\s+/)).toEqual(['Estimate', 'Std.', 'Error', 'z', 'value', 'Pr(>|z|)', '2.5%', '97.5%']);
    // What R's printCoefmat(digits = 4) prints for these numbers; the limits are formatted as a pair the same way.
    expect(lines[i + 2]!.trim().split(/\s+/)).toEqual(['(Intercept)', '2.00', '0.20', '10', '<2e-16', '1.608007', '2.391993']);
    expect(lines[i + 3]!.trim().split(/\s+/)).toEqual(['x', '0.10', '0.05', '2', '0.0455', '0.002002', '0.197998']);
  });

  it('prints convergence and warnings with advice', () => {
    expect(text).toContain('Convergence: converged (optimizer nelder-mead, 12 iterations, 40 evaluations): simplex converged');
    expect(text).toContain(' - [rows-excluded] 1 of 7 rows were excluded (missing: 1); columns: x');
    expect(text).toMatch(/ {3}Advice: Check the listed rows/);
  });

  it('uses the GLMM title and says when the ICC is undefined', () => {
    const r = { ...results({ method: 'Laplace', remlCriterion: null }), icc: [] };
    const t = renderText(r);
    expect(t.startsWith('Generalized linear mixed model fit by maximum likelihood (Laplace Approximation)\n')).toBe(true);
    expect(t).not.toContain('REML criterion');
    expect(t).toContain('Intraclass correlation: not defined for the gaussian family with the identity link');
  });
});

describe('a family parameter estimated by maximum likelihood', () => {
  const withShape = { ...results({ method: 'Laplace', remlCriterion: null }), familyParameter: { name: 'shape', estimate: 2.34567, stdError: 0.312345 } };

  it('is in the text summary, on the family line as glmer.nb prints it and with its SE', () => {
    const lines = renderText(withShape).split('\n');
    expect(lines[1]).toBe(' Family: gaussian(shape = 2.346)  ( identity )');
    expect(lines).toContain('Family parameter (maximum likelihood): shape 2.346 (SE 0.3123)');
    expect(renderText(results())).not.toContain('Family parameter');
  });

  it("is in fitglme's layout and in the HTML report's model information", async () => {
    const fitglme = renderFitglmeText(withShape).split('\n');
    const at = fitglme.indexOf('Family parameter (maximum likelihood):');
    expect(at).toBeGreaterThan(0);
    expect(fitglme[at + 2]!.trim().split(/\s+/)).toEqual(["'shape'", '2.3457', '0.31234']);
    const html = await renderHtml(withShape);
    expect(html).toContain('<td>Family parameter (maximum likelihood)</td><td>shape 2.346 (SE 0.3123)</td>');
    expect(await renderHtml(results())).not.toContain('Family parameter');
  });

  it('says when its SE is not available', () => {
    const r = { ...withShape, familyParameter: { name: 'dispersion', estimate: 0.5, stdError: null } };
    expect(renderText(r)).toContain('Family parameter (maximum likelihood): dispersion 0.5 (SE not available)');
  });
});

describe('varCorrLines', () => {
  it('labels a second term on the same factor as lme4 does', () => {
    const lines = varCorrLines([
      { group: 'Subject', term: '(Intercept)', variance: 627.57, stdDev: 25.05 },
      { group: 'Subject', term: 'Days', variance: 35.86, stdDev: 5.99 },
      { group: 'Residual', term: null, variance: 653.58, stdDev: 25.57 },
    ]);
    expect(lines.map((l) => [l.group, l.name])).toEqual([
      ['Subject', '(Intercept)'],
      ['', 'Days'],
      ['Residual', ''],
    ]);
    const split = varCorrLines([
      { group: 'Subject', term: '(Intercept)', variance: 1, stdDev: 1 },
      { group: 'Subject', term: '(Intercept)', variance: 2, stdDev: Math.SQRT2 },
    ]);
    expect(split.map((l) => l.group)).toEqual(['Subject', 'Subject.1']);
  });
});

describe('json reporter', () => {
  it('round-trips the results without the per-row diagnostics', () => {
    const r = results();
    const s = renderJson(r);
    const { diagnostics: _omitted, ...rest } = r;
    expect(JSON.parse(s)).toEqual(rest);
    expect(s).toContain('\n  "schemaVersion": 2,');
    expect(s).not.toContain('"diagnostics"');
    expect(JSON.parse(s)).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('inlines the diagnostics when asked, one line per column, and they parse back to the same numbers', () => {
    const r = results();
    r.diagnosticsOutput = { ...r.diagnosticsOutput, inline: true };
    const s = renderJson(r);
    expect(JSON.parse(s)).toEqual(r);
    expect(s).toMatch(/\n {4}"fitted": \[[^\n]+\],\n/);
    expect(s).toMatch(/\n {6}"g\|\(Intercept\)": \[[^\n]+\],\n/);
  });

  it('stays the same size however many rows the diagnostics have', () => {
    const r = results();
    const before = renderJson(r).length;
    r.diagnostics = { ...r.diagnostics, fitted: new Array<number>(100_000).fill(1.5) };
    expect(renderJson(r).length).toBe(before);
  });
});

describe('reportBundle', () => {
  it('registers text, json and html reporters', () => {
    const c = createContainer(reportBundle);
    expect(listPlugins(c, 'reporter')).toEqual(['html', 'json', 'text']);
    expect(resolvePlugin(c, 'reporter', 'json').render(results())).toBe(renderJson(results()));
    expect(resolvePlugin(c, 'reporter', 'text').styles).toEqual(['lme4', 'fitglme']);
    expect(resolvePlugin(c, 'reporter', 'text').render(results(), { style: 'fitglme' })).toMatch(/^Linear mixed-effects model fit by REML\n/);
  });
});
