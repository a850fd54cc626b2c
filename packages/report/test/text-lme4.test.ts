import { readFileSync } from 'node:fs';
import type { GlmmResults, VarianceComponentRow } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { normalUpperTail, renderText } from '../src/index.js';

/** lme4's summary() of three fits, with the numbers it formatted (packages/report/r/make-format-reference.R). */
interface SummaryCase {
  aic: number[];
  aicNames: string[];
  vcov: number[];
  sdcor: number[];
  grp: string[];
  var1: string[];
  var2: string[];
  coef: number[];
  se: number[];
  stat: number[];
  /** lmerTest's Satterthwaite df, when the fit is lmerTest's. */
  df?: number[];
  pValue?: number[];
  printed: string[];
}
const raw = JSON.parse(readFileSync(new URL('./fixtures/r-format.json', import.meta.url), 'utf8')) as { summaries: Record<string, Record<string, unknown>> };
// jsonlite writes a one-element vector as a scalar: make every field but the printed lines an array again.
const ref = {
  summaries: Object.fromEntries(
    Object.entries(raw.summaries).map(([name, c]) => [
      name,
      Object.fromEntries(Object.entries(c).map(([k, v]) => [k, k === 'printed' || Array.isArray(v) ? v : [v]])) as unknown as SummaryCase,
    ]),
  ),
};

/** A results contract carrying exactly lme4's numbers, so that only the formatting is compared. */
function resultsOf(c: SummaryCase): GlmmResults {
  const aicValues = c.aic;
  const reml = c.aicNames[0] === 'REML';
  const varianceComponents: VarianceComponentRow[] = c.grp.map((group, i) =>
    c.var2[i]
      ? { group, term: c.var1[i]!, term2: c.var2[i]!, variance: c.vcov[i]!, stdDev: c.sdcor[i]!, covariance: c.vcov[i]!, correlation: c.sdcor[i]! }
      : { group, term: group === 'Residual' ? null : c.var1[i]!, variance: c.vcov[i]!, stdDev: c.sdcor[i]! },
  );
  const names = fixedNames(c);
  const [aic, bic, logLik, deviance, dfResid] = reml ? [0, 0, 0, 0, 0] : aicValues;
  const nobs = 1000;
  return {
    schemaVersion: 1,
    formula: 'y ~ x',
    family: 'f',
    link: 'l',
    method: reml ? 'REML' : 'ML',
    ...(hasDf(c) ? { dfMethod: 'satterthwaite' as const } : {}),
    nAGQ: 1,
    nobs,
    ngroups: {},
    excluded: { count: 0, byReason: {}, rows: [] },
    fixedEffects: c.coef.map((estimate, i) => ({
      name: names[i]!,
      estimate,
      stdError: c.se[i]!,
      statistic: c.stat[i]!,
      pValue: hasPValues(c) ? c.pValue![i]! : 2 * normalUpperTail(Math.abs(c.stat[i]!)),
      ...(hasDf(c) ? { df: c.df![i]! } : {}),
      ciLower: estimate - 1.96 * c.se[i]!,
      ciUpper: estimate + 1.96 * c.se[i]!,
    })),
    vcovFixed: [],
    varianceComponents,
    theta: [],
    sigma: 1,
    dispersion: 1,
    icc: [],
    fit: { logLik: logLik!, df: nobs - dfResid!, aic: aic!, bic: bic!, deviance: deviance!, conditionalDeviance: 0, remlCriterion: reml ? aicValues[0]! : null },
    randomEffects: [],
    diagnostics: { row: [], fitted: [], linearPredictor: [], responseResiduals: [], devianceResiduals: [], pearsonResiduals: [], randomEffects: {} },
    singular: false,
    convergence: { converged: true, iterations: 1, evaluations: 1, optimizer: 'x', message: '' },
    warnings: [],
    timing: { fitSeconds: 0.1 },
  };
}

/** glmer's summary has p-values; lmer's has none (R's NULL, which jsonlite writes as {}). */
function hasPValues(c: SummaryCase): boolean {
  return Array.isArray(c.pValue) && typeof c.pValue[0] === 'number';
}

function hasDf(c: SummaryCase): boolean {
  return Array.isArray(c.df) && typeof c.df[0] === 'number';
}

function fixedNames(c: SummaryCase): string[] {
  const at = c.printed.indexOf('Fixed effects:');
  return c.printed.slice(at + 2, at + 2 + c.coef.length).map((l) => l.split(/\s+/)[0]!);
}

/** The lines after `title` up to the first blank line or `stop`. */
function block(lines: readonly string[], title: string, stop?: RegExp): string[] {
  const at = lines.indexOf(title);
  expect(at, title).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (l.trim() === '' || (stop && stop.test(l))) break;
    out.push(l);
  }
  return out;
}

const tokens = (l: string): string[] => l.trim().split(/\s+/);

describe.each(Object.entries(ref.summaries))("the text summary prints lme4's numbers as lme4 does: %s", (_, c) => {
  const ours = renderText(resultsOf(c)).split('\n');
  const theirs = c.printed;

  it('information criteria (or the REML criterion)', () => {
    const reml = theirs.find((l) => l.startsWith('REML criterion at convergence:'));
    if (reml) {
      expect(ours).toContain(reml);
      return;
    }
    const at = theirs.findIndex((l) => /^\s+AIC\s+BIC\s+logLik\s+deviance\s+df\.resid\s*$/.test(l));
    const i = ours.findIndex((l) => /^\s+AIC\s+BIC\s+logLik\s+deviance\s+df\.resid$/.test(l));
    // Same cells at the same columns: R's named-vector layout, one common width.
    expect(ours[i]).toBe(theirs[at]!.trimEnd());
    expect(ours[i + 1]).toBe(theirs[at + 1]!.trimEnd());
  });

  it('the random-effects table, cell by cell', () => {
    const theirRows = block(theirs, 'Random effects:', /^Number of obs/).map(tokens);
    const ourRows = block(ours, 'Random effects:', /^Number of obs/).map(tokens);
    expect(ourRows).toEqual(theirRows);
  });

  it('estimates, standard errors, statistics and p-values', () => {
    const theirRows = block(theirs, 'Fixed effects:').slice(1, 1 + c.coef.length).map(tokens);
    const ourRows = block(ours, 'Fixed effects:').slice(1, 1 + c.coef.length).map(tokens);
    // lme4 prints a "t value" without p-values for lmer, lmerTest adds df and p; our summary adds p-values and limits.
    const cells = 4 + (hasDf(c) ? 1 : 0) + (hasPValues(c) ? 1 : 0);
    expect(ourRows.map((r) => r.slice(0, cells))).toEqual(theirRows.map((r) => r.slice(0, cells)));
    const header = (lines: readonly string[]) => tokens(lines[lines.indexOf('Fixed effects:') + 1]!).slice(0, cells - 1);
    expect(header(ours)).toEqual(header(theirs));
  });
});
