import { describe, expect, it } from 'vitest';
import { reportNotes, toCommandRow, toFitRow, type CommandResults, type FitCaseResult } from '../src/bench.js';
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

function result(ours: FitCaseResult['ours'], lme4: FitCaseResult['lme4'], commands: CommandResults | null = null): FitCaseResult {
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
    commands,
  };
}

describe('toFitRow', () => {
  it('takes the cold (first) and warm (median of the rest) fits, their ratios and the logLik gap', () => {
    const lme4: FitSummary = { ...base, wallSeconds: [2.6], fitSeconds: [2.6], logLik: -500.01, maxRssMB: 300 };
    const row = toFitRow(result({ ok: true, summary: base }, { ok: true, summary: lme4 }))!;
    expect(row.oursCold).toBe(1.2);
    expect(row.oursWarm).toBe(1.35);
    expect(row.lme4Cold).toBe(2.6);
    expect(row.lme4Warm).toBeNull();
    expect(row.ratioCold).toBeCloseTo(2.6 / 1.2, 12);
    expect(row.ratioWarm).toBeCloseTo(2.6 / 1.35, 12);
    expect(row.absLogLikDiff).toBeCloseTo(0.01, 12);
    expect(row.flag).toBe('lme4 worse');
  });

  it('marks failures and timeouts, and lists them as notes', () => {
    const failed = result({ ok: false, error: 'exit 1: boom' }, null);
    expect(toFitRow(failed)!.flag).toBe('OURS FAILED');
    expect(toFitRow(failed)!.n).toBeNull();
    const partial = result({ ok: true, summary: base, incomplete: 'timed out after 600 s with 1 run(s) finished' }, { ok: false, error: 'timed out' });
    expect(toFitRow(partial)!.flag).toBe('ours timeout, LME4 FAILED');
    const slow = result({ ok: true, summary: base }, { ok: false, timedOut: true, error: 'did not finish within 20 min' });
    expect(toFitRow(slow)!.flag).toBe('lme4 > limit');
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

describe('toCommandRow', () => {
  const side = (seconds: number, rss: number, logLik: number) => ({
    ok: true as const,
    side: { wallSeconds: [seconds], medianSeconds: seconds, maxRssMB: rss, logLik, stdoutBytes: 100 },
  });

  it('sets lme4\'s whole command against our text and JSON ones, with peak memory', () => {
    const cmd: CommandResults = { runs: 1, text: side(2, 160, -500), json: side(2.2, 165, -500), lme4: side(20, 700, -500.01) };
    const row = toCommandRow(result({ ok: true, summary: base }, null, cmd))!;
    expect(row).toMatchObject({ text: 2, textRssMB: 160, json: 2.2, jsonRssMB: 165, lme4: 20, lme4RssMB: 700, flag: '' });
    expect(row.ratioText).toBeCloseTo(10, 12);
    expect(row.ratioJson).toBeCloseTo(20 / 2.2, 12);
    expect(toCommandRow(result({ ok: true, summary: base }, null))).toBeNull();
  });

  it('says when lme4 was not run or did not finish, and notes a command that lands elsewhere', () => {
    const skipped: CommandResults = {
      runs: 1,
      text: side(2, 160, -500),
      json: side(2, 160, -499),
      lme4: { ok: false, skipped: true, error: "not run: lme4's fit did not finish within 20 min" },
    };
    const r = result({ ok: true, summary: base }, null, skipped);
    expect(toCommandRow(r)!.flag).toBe('lme4 not run');
    expect(toCommandRow(result({ ok: true, summary: base }, null, { ...skipped, lme4: { ok: false, error: 'did not finish within 20 min' } }))!.flag).toBe(
      'lme4 > limit',
    );
    expect(reportNotes([r])).toEqual([
      "case: lme4's Rscript: not run: lme4's fit did not finish within 20 min",
      "case: the JSON command's logLik -499 differs from the fit's -500",
    ]);
  });
});
