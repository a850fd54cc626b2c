import { createContainer, listPlugins, resolvePlugin } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { buildResults, renderHtml, renderJson, renderText, reportBundle, varCorrLines } from '../src/index.js';
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
    expect(lines[at + 2]!.split(/\s+/)).toEqual(['g', '(Intercept)', 'a', '0.5000', '0.30000']);
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
    expect(lines[i + 1]!.trim().split(/\s+/)).toEqual(['34', '32.5423', '-10', '20', '-1']);
    expect(text).toContain('REML criterion at convergence: 20\n');
  });

  it('prints the random-effects table with correlations and the Residual', () => {
    const i = lines.indexOf('Random effects:');
    expect(lines[i + 1]!.trim().split(/\s+/)).toEqual(['Groups', 'Name', 'Variance', 'Std.Dev.', 'Corr']);
    expect(lines[i + 2]!.trim().split(/\s+/)).toEqual(['g', '(Intercept)', '4.0000', '2.0000']);
    expect(lines[i + 3]!.trim().split(/\s+/)).toEqual(['x', '0.2500', '0.5000', '0.600']);
    expect(lines[i + 4]!.trim().split(/\s+/)).toEqual(['h', '(Intercept)', '1.0000', '1.0000']);
    expect(lines[i + 5]!.trim().split(/\s+/)).toEqual(['Residual', '4.0000', '2.0000']);
    expect(lines[i + 6]).toBe('Number of obs: 6, groups:  g, 2; h, 3');
    // Columns are aligned: the Variance column ends at the same offset on every row.
    const ends = [i + 2, i + 3, i + 4, i + 5].map((k) => lines[k]!.indexOf(k === i + 3 ? '0.2500' : k === i + 4 ? '1.0000' : '4.0000') + 6);
    expect(new Set(ends).size).toBe(1);
  });

  it('prints ICC and design effect', () => {
    const i = lines.indexOf('Intraclass correlation (at covariates = 0):');
    expect(lines[i + 2]!.trim().split(/\s+/)).toEqual(['g', '0.4444', '1.889', '3']);
    expect(lines[i + 3]!.trim().split(/\s+/)).toEqual(['h', '0.1111', '1.111', '2']);
    expect(lines[i + 4]).toBe(' Residual variance (latent scale): 4 = sigma^2 (residual variance)');
  });

  it('prints the fixed effects with z, p and confidence intervals', () => {
    const i = lines.indexOf('Fixed effects:');
    expect(lines[i + 1]!.trim().split(/\s+/)).toEqual(['Estimate', 'Std.', 'Error', 'z', 'value', 'Pr(>|z|)', '2.5%', '97.5%']);
    expect(lines[i + 2]!.trim().split(/\s+/)).toEqual(['(Intercept)', '2.0000', '0.20000', '10.000', '<2e-16', '1.6080', '2.3920']);
    expect(lines[i + 3]!.trim().split(/\s+/)).toEqual(['x', '0.1000', '0.05000', '2.000', '0.0455', '0.0020', '0.1980']);
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

describe('html reporter', () => {
  const r = results();
  r.fixedEffects[1]!.name = 'x<script>alert("&")</script>';
  r.formula = 'y ~ x<3 + (1 | g)';
  const html = renderHtml(r);

  it('is a self-contained page with the tables and two SVG plots', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<(link|script)\b|src=|href=/i);
    expect(html.match(/<table>/g)).toHaveLength(6);
    expect(html).toContain('<h2>Random-effect predictions (BLUPs)</h2>');
    expect(html.match(/<table>/g)!.length).toBe(html.match(/<\/table>/g)!.length);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html.match(/<\/svg>/g)).toHaveLength(2);
    // One dot per row in the scatter, Sturges' ceil(log2 6) + 1 = 4 bars in the histogram.
    expect(html.match(/<circle /g)).toHaveLength(6);
    expect(html.match(/<rect /g)).toHaveLength(4);
    expect(html).toContain('<td>Residual</td>');
    expect(html).toContain('<td class="num">0.4444</td>');
  });

  it('escapes user-supplied text', () => {
    expect(html).toContain('<td>x&lt;script&gt;alert(&quot;&amp;&quot;)&lt;/script&gt;</td>');
    expect(html).toContain('y ~ x&lt;3 + (1 | g)');
    expect(html).not.toContain('<script>');
  });

  it('balances its elements', () => {
    const body = html.replace(/<!DOCTYPE html>/, '');
    const stack: string[] = [];
    const voids = new Set(['meta', 'br', 'circle', 'line', 'rect']);
    for (const m of body.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      const [, close, tag, selfClose] = m;
      if (selfClose || (voids.has(tag!) && !close)) continue;
      if (close) expect(stack.pop()).toBe(tag);
      else stack.push(tag!);
    }
    expect(stack).toEqual([]);
  });
});

describe('reportBundle', () => {
  it('registers text, json and html reporters', () => {
    const c = createContainer(reportBundle);
    expect(listPlugins(c, 'reporter')).toEqual(['html', 'json', 'text']);
    expect(resolvePlugin(c, 'reporter', 'json').render(results())).toBe(renderJson(results()));
  });
});

describe('number formatting', () => {
  it('formats single values and columns', async () => {
    const { formatNumber, formatColumn, formatPValue } = await import('../src/index.js');
    expect(formatNumber(1763.9394, 5)).toBe('1763.9');
    expect(formatNumber(-0.000123456, 3)).toBe('-0.000123');
    expect(formatNumber(1.23456e-7, 3)).toBe('1.23e-7');
    expect(formatNumber(2.5e12, 4)).toBe('2.5e+12');
    expect(formatNumber(-0)).toBe('0');
    expect(formatColumn([612.0897, 35.0717, 654.941])).toEqual(['612.09', '35.07', '654.94']);
    expect(formatPValue(0.0455002638963584)).toBe('0.0455');
    expect(formatPValue(3.2e-7)).toBe('3.20e-7');
    expect(formatPValue(1e-30)).toBe('<2e-16');
  });
});
