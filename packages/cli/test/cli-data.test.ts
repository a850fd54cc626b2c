/** Data in through the CLI with the real library: delimiters, Parquet, Arrow, standard input, and bad files. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GlmmResults } from '@glmm/core';
import { examples } from '@glmm/datasets';
import { EXIT_INPUT, oneLine } from '../src/run.js';
import { expectOneLineError, run, tempFile, tempPath } from './helpers.js';

const sleepCsv = readFileSync(examples.sleepstudy.csvPath, 'utf8');
const formula = examples.sleepstudy.formula;

async function fitJson(data: string, ...extra: string[]): Promise<GlmmResults> {
  const r = await run(['fit', '--data', data, '--formula', formula, '--categorical', 'Subject', '--format', 'json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as GlmmResults;
}

/** What must not depend on how the data came in. */
function estimates(r: GlmmResults): unknown {
  return { nobs: r.nobs, beta: r.fixedEffects.map((f) => f.estimate), theta: r.theta, logLik: r.fit.logLik, ngroups: r.ngroups };
}

describe('data files in any of the accepted forms give the same fit', () => {
  const reference = fitJson(examples.sleepstudy.csvPath);

  it('TSV by extension, semicolons guessed, and a delimiter given by name', async () => {
    const ref = estimates(await reference);
    expect(estimates(await fitJson(tempFile(sleepCsv.replaceAll(',', '\t'), 'tsv')))).toEqual(ref);
    expect(estimates(await fitJson(tempFile(sleepCsv.replaceAll(',', ';'))))).toEqual(ref);
    expect(estimates(await fitJson(tempFile(sleepCsv.replaceAll(',', '|'), 'txt'), '--delimiter', 'pipe'))).toEqual(ref);
  });

  it('Arrow IPC and Parquet files', async () => {
    const ref = estimates(await reference);
    const arrow = await import('apache-arrow');
    const lines = sleepCsv.trim().split('\n').slice(1).map((l) => l.split(','));
    const table = arrow.tableFromArrays({
      Reaction: Float64Array.from(lines, (l) => Number(l[0])),
      Days: Int32Array.from(lines, (l) => Number(l[1])),
      Subject: lines.map((l) => (l[2] as string).replaceAll('"', '')),
    });
    const arrowPath = tempPath('arrow');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(arrowPath, arrow.tableToIPC(table, 'file'));
    expect(estimates(await fitJson(arrowPath))).toEqual(ref);

    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const parquetPath = tempPath('parquet');
    await con.run(`COPY (SELECT * FROM read_csv('${examples.sleepstudy.csvPath}', all_varchar = false)) TO '${parquetPath}' (FORMAT PARQUET)`);
    con.closeSync();
    expect(estimates(await fitJson(parquetPath))).toEqual(ref);
  });
});

describe('bad data files get one short line', () => {
  it('duplicate column names are named', async () => {
    const path = tempFile('y,x,x,g\n1,2,3,a\n2,3,4,b\n');
    const msg = expectOneLineError(await run(['fit', '--data', path, '--formula', 'y ~ x + (1 | g)']), EXIT_INPUT);
    expect(msg).toBe('duplicate column name "x" (columns 2, 3); every column needs its own name, so rename it');
  });

  it('a 5 KB binary file', async () => {
    const bytes = new Uint8Array(5000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 151 + 3) % 256;
    const path = tempPath('csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, bytes);
    const msg = expectOneLineError(await run(['fit', '--data', path, '--formula', 'y ~ x + (1 | g)']), EXIT_INPUT);
    expect(msg).toMatch(/^data file ".*" is not CSV text: it holds binary data \(a NUL byte at byte \d+\)$/);
    expect(msg.length).toBeLessThan(200);
  });

  it('binary bytes without a NUL, read as one huge header, still give a line of bounded length', async () => {
    // Control bytes below the binary threshold and one 5,000-character header name.
    const name = 'h'.repeat(5000);
    const path = tempFile(`${name}\x1b,g\n1,a\n2,b\n`);
    const r = await run(['fit', '--data', path, '--formula', 'y ~ x + (1 | g)']);
    const msg = expectOneLineError(r, EXIT_INPUT);
    expect(msg.length).toBeLessThan(400);
    expect(msg).toMatch(/^unknown column "y" in the response; available columns: h+/);
    expect(msg).toMatch(/\[\.\.\. \d+ characters \.\.\.\]/);
    expect(msg).not.toContain('\x1b');
  });

  it('oneLine folds lines, hides control characters and keeps the start and end of a long message', () => {
    expect(oneLine('a\nb\r\n c\x07d')).toBe('a b c?d');
    const long = `start ${'x'.repeat(1000)} end`;
    const line = oneLine(long, 100);
    expect(line.startsWith('start xxx')).toBe(true);
    expect(line.endsWith('xxx end')).toBe(true);
    expect(line).toContain('[... 910 characters ...]');
  });
});

const bin = fileURLToPath(new URL('../bin/glmm.js', import.meta.url));
const builtMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('--data - reads standard input (the built command)', () => {
  it('fits CSV piped in; empty input is one line', async (ctx) => {
    if (!existsSync(builtMain)) ctx.skip('packages/cli/dist/main.js is missing: run the root build (npx tsc -b) first');
    const args = [bin, 'fit', '--data', '-', '--formula', formula, '--categorical', 'Subject', '--format', 'json'];
    const fromCsv = spawnSync(process.execPath, args, { input: sleepCsv, encoding: 'utf8' });
    expect(fromCsv.stderr).toBe('');
    expect(fromCsv.status).toBe(0);
    const ref = estimates(await fitJson(examples.sleepstudy.csvPath));
    expect(estimates(JSON.parse(fromCsv.stdout) as GlmmResults)).toEqual(ref);

    const empty = spawnSync(process.execPath, args, { input: '', encoding: 'utf8' });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toBe('glmm: error: data from standard input is empty (0 rows): expected a header row and at least one data row\n');
  });
});
