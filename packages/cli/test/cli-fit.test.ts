/** The CLI end to end with the real library, on the bundled sleepstudy and cbpp data. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GlmmResults } from '@glmm/core';
import { examples } from '@glmm/datasets';
import { run, tempPath } from './helpers.js';

const sleep = ['fit', '--data', examples.sleepstudy.csvPath, '--formula', examples.sleepstudy.formula, '--categorical', 'Subject'];

// lme4 1.1-31: lmer(Reaction ~ Days + (Days | Subject), sleepstudy), REML.
const LME4_FIXEF = { '(Intercept)': 251.405105, Days: 10.467286 };

describe('glmm fit on sleepstudy', () => {
  it('--format json prints the results contract', async () => {
    const r = await run([...sleep, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as GlmmResults;
    expect(results.nobs).toBe(180);
    expect(results.fixedEffects.map((f) => f.name)).toEqual(['(Intercept)', 'Days']);
    expect(results.fixedEffects[0]?.estimate).toBeCloseTo(LME4_FIXEF['(Intercept)'], 2);
    expect(results.fixedEffects[1]?.estimate).toBeCloseTo(LME4_FIXEF.Days, 3);
    expect(results.timing.loadSeconds).toBeGreaterThanOrEqual(0);
    expect(results.timing.fitSeconds).toBeGreaterThanOrEqual(0);
  });

  it('--diagnostics writes one CSV row per observation', async () => {
    const diag = tempPath('csv');
    const r = await run([...sleep, '--diagnostics', diag]);
    expect(r.code).toBe(0);
    const lines = readFileSync(diag, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(181);
    const head = (lines[0] as string).split(',');
    expect(head.slice(0, 9)).toEqual([
      'row', 'Reaction', 'Days', 'Subject', 'fitted', 'linear_predictor', 'response_residual', 'deviance_residual', 'pearson_residual',
    ]);
    expect(head).toContain('group_random_effect');
    // The row's own data, then: Gaussian identity, response residual = y - fitted, linear predictor = fitted.
    const first = (lines[1] as string).split(',').map(Number);
    expect(first.slice(0, 4)).toEqual([1, 249.56, 0, 308]);
    expect(first[4]! + first[6]!).toBeCloseTo(249.56, 6);
    expect(first[5]).toBeCloseTo(first[4]!, 9);
  });

  it('--output writes the html report to a file', async () => {
    const out = tempPath('html');
    const r = await run([...sleep, '--format', 'html', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`glmm: wrote html output to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/<html|<table/i);
  });
});

describe('glmm example', () => {
  it('fits sleepstudy by default and prints a text summary', async () => {
    const r = await run(['example']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Example "sleepstudy"');
    expect(r.stdout).toContain('Days');
    expect(r.stdout).toContain('251.4');
  });

  it('fits cbpp (binomial) with --format json', async () => {
    const r = await run(['example', 'cbpp', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as GlmmResults;
    expect(results.nobs).toBe(56);
    expect(results.family).toBe('binomial');
    // lme4 1.1-31: glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, binomial).
    expect(results.fixedEffects.map((f) => f.name)).toEqual(['(Intercept)', 'period2', 'period3', 'period4']);
    expect(results.fixedEffects[0]?.estimate).toBeCloseTo(-1.3983, 2);
  });
});
