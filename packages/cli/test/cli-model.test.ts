/** glmm fit --save, predict and simulate end to end, and fit's --exclude and --coding. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examples } from '@glmm/datasets';
import { fitModel, readCsvFile } from '@glmm/glmm';
import { csv, expectOneLineError, run, tempFile, tempPath } from './helpers.js';

const sleepFit = ['fit', '--data', examples.sleepstudy.csvPath, '--formula', 'Reaction ~ Days + (Days | Subject)'];
const cbppFit = [
  'fit',
  '--data',
  examples.cbpp.csvPath,
  '--formula',
  'cbind(incidence, size - incidence) ~ period + (1 | herd)',
  '--family',
  'binomial',
  '--categorical',
  'herd,period',
];

async function saved(argv: string[]): Promise<string> {
  const path = tempPath('json');
  const r = await run([...argv, '--save', path, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain(`saved the model to ${path}`);
  expect(existsSync(path)).toBe(true);
  return path;
}

const newSleep = tempFile('Subject,Days,note\n308,0,a\n999,4.5,"b, quoted"\n335,,c\n372,8,d\n');

describe('glmm predict', () => {
  it('keeps the input columns and adds fit, se and new_level, as the library predicts', async () => {
    const model = await saved(sleepFit);
    const r = await run(['predict', '--model', model, '--data', newSleep, '--se']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Subject,Days,note,fit,se,new_level');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^999,4.5,"b, quoted",[0-9.]+,[0-9.]+,Subject$/);
    expect(lines[3]).toBe('335,NA,c,NA,NA,NA');
    expect(r.stderr).toMatch(/1 of 4 rows have a missing or non-finite predictor/);
    const lib = fitModel({ formula: 'Reaction ~ Days + (Days | Subject)', data: readCsvFile(examples.sleepstudy.csvPath) }).predict({
      data: readCsvFile(newSleep),
      se: true,
    });
    const fits = [1, 2, 4].map((i) => Number(lines[i]!.split(',').at(-3)));
    fits.forEach((f, k) => expect(f).toBeCloseTo(lib.fit[k]!, 8));
    expect(lines[1]!.endsWith(',')).toBe(true);
  });

  it('predicts marginally on the link scale, and writes JSON', async () => {
    const model = await saved(cbppFit);
    const rows = tempFile(csv(['herd', 'period'], [[1, 2], [99, 4]]));
    const m = await run(['predict', '--model', model, '--data', rows, '--marginal', '--scale', 'link']);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout.split('\n')[0]).toBe('herd,period,fit');
    const j = await run(['predict', '--model', model, '--data', rows, '--format', 'json', '--interval', 'confidence']);
    expect(j.code, j.stderr).toBe(0);
    const out = JSON.parse(j.stdout) as { conditional: boolean; rows: { row: number; fit: number; lower: number; upper: number; newLevel: string[] }[] };
    expect(out.conditional).toBe(true);
    expect(out.rows.map((r) => r.newLevel)).toEqual([[], ['herd']]);
    for (const r of out.rows) expect(r.lower < r.fit && r.fit < r.upper).toBe(true);
  });

  it('exits 1 with one line on a level of a categorical predictor the fit did not see, and on a bad model file', async () => {
    const model = await saved(cbppFit);
    const rows = tempFile(csv(['herd', 'period'], [[1, 7]]));
    expect(expectOneLineError(await run(['predict', '--model', model, '--data', rows]), 1)).toMatch(/column "period" has level "7" at row 1 of the new data/);
    expect(expectOneLineError(await run(['predict', '--model', tempPath('json'), '--data', rows]), 1)).toMatch(/cannot read model file .*no such file/);
    const notModel = tempFile('{"a": 1}', 'json');
    expect(expectOneLineError(await run(['predict', '--model', notModel, '--data', rows]), 1)).toMatch(/not a glmm model file/);
    expect(expectOneLineError(await run(['predict', '--model', model]), 2)).toMatch(/missing required option --data/);
    expect(expectOneLineError(await run(['predict', '--model', model, '--data', rows, '--scale', 'logit']), 2)).toMatch(/--scale must be link or response/);
  });
});

describe('glmm simulate', () => {
  it('writes one column per simulation, the same for the same seed, counts for a cbind() response', async () => {
    const model = await saved(cbppFit);
    const a = await run(['simulate', '--model', model, '--nsim', '3', '--seed', '42']);
    const b = await run(['simulate', '--model', model, '--nsim', '3', '--seed', '42']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const lines = a.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,sim_1,sim_2,sim_3');
    expect(lines).toHaveLength(57);
    const size = (readCsvFile(examples.cbpp.csvPath).columns.size as Float64Array)[0]!;
    const first = lines[1]!.split(',').map(Number);
    expect(first[0]).toBe(1);
    for (const v of first.slice(1)) expect(Number.isInteger(v) && v >= 0 && v <= size).toBe(true);
    const j = await run(['simulate', '--model', model, '--nsim', '2', '--seed', '42', '--format', 'json']);
    const out = JSON.parse(j.stdout) as { seed: number; simulations: number[][]; trials: number[]; response: string };
    expect(out.seed).toBe(42);
    expect(out.response).toBe('cbind(incidence, size - incidence)');
    expect(out.simulations[1]).toEqual(lines.slice(1).map((l) => Number(l.split(',')[2])));
  });

  it('draws a seed when none is given and says which', async () => {
    const model = await saved(sleepFit);
    const r = await run(['simulate', '--model', model]);
    expect(r.code, r.stderr).toBe(0);
    const seed = /--seed (\d+)/.exec(r.stderr)![1]!;
    expect((await run(['simulate', '--model', model, '--seed', seed])).stdout).toBe(r.stdout);
    expect(expectOneLineError(await run(['simulate', '--model', model, '--nsim', '0']), 2)).toMatch(/--nsim must be an integer >= 1/);
  });
});

describe('glmm fit --exclude, --coding, --save', () => {
  it('leaves out rows by number and reports them', async () => {
    const r = await run([...sleepFit, '--exclude', '3,7,10-12', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { nobs: number; excluded: { rows: { row: number; reason: string }[] }; warnings: { code: string }[] };
    expect(out.nobs).toBe(175);
    expect(out.excluded.rows.map((x) => [x.row, x.reason])).toEqual([3, 7, 10, 11, 12].map((row) => [row, 'excluded by request']));
    expect(out.warnings.map((w) => w.code)).not.toContain('rows-excluded');
    expect(expectOneLineError(await run([...sleepFit, '--exclude', '3,x']), 2)).toMatch(/--exclude takes row numbers and ranges/);
    expect(expectOneLineError(await run([...sleepFit, '--exclude', '500']), 1)).toMatch(/exclude lists row 500, which is not a row of the data \(rows are numbered 1 to 180\)/);
  });

  it('codes categorical predictors per column or for all', async () => {
    const names = async (coding: string): Promise<string[]> => {
      const r = await run([...cbppFit, '--coding', coding, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { fixedEffects: { name: string }[] }).fixedEffects.map((f) => f.name);
    };
    expect(await names('period=effects')).toEqual(['(Intercept)', 'period1', 'period2', 'period3']);
    expect(await names('effects')).toEqual(['(Intercept)', 'period1', 'period2', 'period3']);
    expect(expectOneLineError(await run([...cbppFit, '--coding', 'helmert']), 2)).toMatch(/unknown --coding "helmert"; codings: reference, effects, full/);
    expect(expectOneLineError(await run([...cbppFit, '--coding', 'size=effects']), 1)).toMatch(/coding given for "size", which is not a categorical predictor/);
    expect(expectOneLineError(await run([...cbppFit, '--coding', 'full']), 1)).toMatch(/full coding of "period" gives one column per level/);
  });

  it('saves a model file that names its format and version', async () => {
    const path = await saved(sleepFit);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { format: string; version: number };
    expect([file.format, file.version]).toEqual(['glmm-model', 1]);
  });
});

describe('help', () => {
  it('lists every command and documents predict and simulate', async () => {
    const top = await run(['--help']);
    for (const c of ['fit', 'predict', 'simulate', 'example']) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect((await run(['predict', '--help'])).stdout).toMatch(/Usage: glmm predict --model FILE.json --data FILE /);
    expect((await run(['help', 'simulate'])).stdout).toMatch(/Usage: glmm simulate --model FILE.json --nsim N --seed S/);
    expect((await run(['fit', '--help'])).stdout).toMatch(/--save FILE.json/);
  });
});
