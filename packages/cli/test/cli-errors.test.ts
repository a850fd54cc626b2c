/**
 * Every bad-input situation the CLI promises to turn into one line on stderr,
 * run against the real library: exit 1 for data and model errors.
 */
import { describe, expect, it } from 'vitest';
import { EXIT_INPUT } from '../src/run.js';
import { csv, expectOneLineError, run, tempFile, tempPath } from './helpers.js';

/** 30 rows in 6 groups; `count` non-negative integers, `pass` 0/1, `size` positive. */
function rows(): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (let i = 0; i < 30; i++) {
    const site = 'ABCDEF'[i % 6] as string;
    const dose = i % 5;
    out.push([site, dose, ((i * 7) % 5) + 1, (i * 3) % 2, 0.5 + (i % 7) / 3]);
  }
  return out;
}
const header = ['site', 'dose', 'count', 'pass', 'size'];

function dataWith(edit: (r: (string | number)[][]) => void): string {
  const r = rows();
  edit(r);
  return tempFile(csv(header, r));
}

const good = tempFile(csv(header, rows()));

function fit(data: string, formula: string, ...extra: string[]): Promise<ReturnType<typeof run> extends Promise<infer R> ? R : never> {
  return run(['fit', '--data', data, '--formula', formula, ...extra]);
}

describe('data errors (exit 1, one line)', () => {
  it('missing file: names the path', async () => {
    const path = tempPath('csv');
    const msg = expectOneLineError(await fit(path, 'count ~ dose + (1 | site)'), EXIT_INPUT);
    expect(msg).toBe(`cannot read data file "${path}": no such file or directory`);
  });

  it('empty file (0 bytes)', async () => {
    const path = tempFile('');
    const msg = expectOneLineError(await fit(path, 'count ~ dose + (1 | site)'), EXIT_INPUT);
    expect(msg).toBe(`data file "${path}" is empty (0 rows): expected a header row and at least one data row`);
  });

  it('file of blank lines counts as empty', async () => {
    const path = tempFile('\n\n  \n');
    expect(expectOneLineError(await fit(path, 'count ~ dose + (1 | site)'), EXIT_INPUT)).toMatch(/is empty/);
  });

  it('a header without data rows', async () => {
    const path = tempFile('site,dose,count\n');
    const msg = expectOneLineError(await fit(path, 'count ~ dose + (1 | site)'), EXIT_INPUT);
    expect(msg.length).toBeGreaterThan(10);
  });

  it('missing column: names it and lists the available columns', async () => {
    const msg = expectOneLineError(await fit(good, 'count ~ dose_mg + (1 | site)'), EXIT_INPUT);
    expect(msg).toContain('dose_mg');
    for (const col of header) expect(msg).toContain(col);
  });

  it('non-numeric response', async () => {
    const path = dataWith((r) => r.forEach((row, i) => (row[2] = ['low', 'mid', 'high'][i % 3] as string)));
    const msg = expectOneLineError(await fit(path, 'count ~ dose + (1 | site)'), EXIT_INPUT);
    expect(msg).toContain('count');
  });

  it('grouping variable with one level', async () => {
    const path = dataWith((r) => r.forEach((row) => (row[0] = 'A')));
    const msg = expectOneLineError(await fit(path, 'count ~ dose + (1 | site)'), EXIT_INPUT);
    expect(msg).toContain('site');
    expect(msg).toMatch(/level/i);
  });
});

describe('response outside the family\'s support (exit 1, one line)', () => {
  it('negative counts for poisson', async () => {
    const path = dataWith((r) => ((r[4] as (string | number)[])[2] = -2));
    const msg = expectOneLineError(await fit(path, 'count ~ dose + (1 | site)', '--family', 'poisson'), EXIT_INPUT);
    expect(msg).toContain('count');
  });

  it('y = 2 for binomial', async () => {
    const path = dataWith((r) => ((r[7] as (string | number)[])[3] = 2));
    const msg = expectOneLineError(await fit(path, 'pass ~ dose + (1 | site)', '--family', 'binomial'), EXIT_INPUT);
    expect(msg).toContain('pass');
  });

  it('y <= 0 for gamma', async () => {
    const path = dataWith((r) => ((r[11] as (string | number)[])[4] = 0));
    const msg = expectOneLineError(await fit(path, 'size ~ dose + (1 | site)', '--family', 'gamma'), EXIT_INPUT);
    expect(msg).toContain('size');
  });
});

describe('model errors (exit 1, one line)', () => {
  it('unknown family lists the loaded families', async () => {
    const msg = expectOneLineError(await fit(good, 'count ~ dose + (1 | site)', '--family', 'tweedie'), EXIT_INPUT);
    expect(msg).toContain('tweedie');
    for (const f of ['gaussian', 'binomial', 'poisson', 'gamma']) expect(msg).toContain(f);
  });

  it('unknown link names it and lists links', async () => {
    const msg = expectOneLineError(await fit(good, 'count ~ dose + (1 | site)', '--family', 'poisson', '--link', 'logitt'), EXIT_INPUT);
    expect(msg).toContain('logitt');
    expect(msg).toContain('log');
  });

  it('link not allowed for the family names both', async () => {
    const msg = expectOneLineError(await fit(good, 'count ~ dose + (1 | site)', '--family', 'poisson', '--link', 'logit'), EXIT_INPUT);
    expect(msg).toContain('logit');
    expect(msg).toContain('poisson');
  });

  it('formula syntax error gives the position', async () => {
    const msg = expectOneLineError(await fit(good, 'count ~ dose + (1 | site'), EXIT_INPUT);
    expect(msg).toMatch(/(position|column|char\w*) \d+/i);
  });
});
