import { describe, expect, it } from 'vitest';
import { reportNotes, toTableRow, type FitCaseResult } from '../src/bench.js';
import { compareFits } from '../src/compare.js';
import type { FitSummary } from '../src/fit-summary.js';

const base: FitSummary = {
  loadSeconds: 0.2,
  fitSeconds: [0.9, 1.1, 1.0],
  wallSeconds: [1.2, 1.4, 1.3],
  nobs: 1000,
  logLik: -500,
  fixef: [{ name: '(Intercept)', estimate: 0.2, stdError: 0.05 }],
  theta: [0.5],
  converged: true,
  optimizer: 'bobyqa',
  messages: [],
  maxRssMB: 120,
};

function result(ours: FitCaseResult['ours'], lme4: FitCaseResult['lme4']): FitCaseResult {
  return {
    kind: 'fit',
    name: 'case',
    description: '',
    formula: 'y ~ 1 + (1 | g)',
    family: 'gaussian',
    method: 'reml',
    csv: 'x.csv',
    runs: 3,
    lme4Runs: 3,
    libraryBuild: '2026-01-01T00:00:00.000Z',
    ours,
    lme4,
    comparison: ours.ok && lme4?.ok ? compareFits(ours.summary, lme4.summary) : null,
  };
}

describe('toTableRow', () => {
  it('takes medians, the ratio of total times and the logLik gap', () => {
    const lme4: FitSummary = { ...base, wallSeconds: [2.6], fitSeconds: [2.6], logLik: -500.01, maxRssMB: 300 };
    const row = toTableRow(result({ ok: true, summary: base }, { ok: true, summary: lme4 }));
    expect(row.oursFit).toBe(1.0);
    expect(row.oursTotal).toBe(1.3);
    expect(row.lme4Fit).toBe(2.6);
    expect(row.ratio).toBeCloseTo(2, 12);
    expect(row.absLogLikDiff).toBeCloseTo(0.01, 12);
    expect(row.flag).toBe('lme4 worse');
    expect(row.lme4RssMB).toBe(300);
  });

  it('marks failures and timeouts, and lists them as notes', () => {
    const failed = result({ ok: false, error: 'exit 1: boom' }, null);
    expect(toTableRow(failed).flag).toBe('OURS FAILED');
    expect(toTableRow(failed).n).toBeNull();
    const partial = result({ ok: true, summary: base, incomplete: 'timed out after 600 s with 1 run(s) finished' }, { ok: false, error: 'timed out' });
    expect(toTableRow(partial).flag).toBe('ours timeout, LME4 FAILED');
    expect(reportNotes([failed, partial])).toEqual([
      'case: ours failed: exit 1: boom',
      'case: lme4 failed: timed out',
      'case: ours timed out after 600 s with 1 run(s) finished',
    ]);
  });

  it('notes when cases ran on different library builds', () => {
    const a = result({ ok: true, summary: base }, null);
    const b = { ...a, name: 'other', libraryBuild: '2026-01-02T00:00:00.000Z' };
    expect(reportNotes([a, a])).toEqual([]);
    expect(reportNotes([a, b])[0]).toBe(
      'the library was rebuilt during the run; builds (newest dist file) and their cases: 2026-01-01T00:00:00.000Z: case; 2026-01-02T00:00:00.000Z: other',
    );
  });
});
