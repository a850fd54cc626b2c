/**
 * The commands on a saved model read --data through the same readers as
 * glmm fit: any delimiter (guessed or --delimiter), TSV, Parquet, and
 * standard input; their answers do not depend on the form the data came in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examples } from '@glmm/datasets';
import { fitModel, saveModel } from '@glmm/glmm';
import { readCsvFile } from '@glmm/node-io';
import { EXIT_USAGE } from '../src/run.js';
import { expectOneLineError, run, tempFile, tempPath } from './helpers.js';

const sleepCsv = readFileSync(examples.sleepstudy.csvPath, 'utf8');
const formula = 'Reaction ~ Days + (Days | Subject)';
/** Saved without its rows, so that anova's Satterthwaite DF need --data. */
const WITHOUT_DATA = { design: false, data: false } as unknown as Parameters<typeof saveModel>[1];
const withoutRows = tempFile(saveModel(fitModel({ formula, data: readCsvFile(examples.sleepstudy.csvPath) }), WITHOUT_DATA), 'json');

async function parquetOf(csvPath: string): Promise<string> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const path = tempPath('parquet');
  await con.run(`COPY (SELECT * FROM read_csv('${csvPath}')) TO '${path}' (FORMAT PARQUET)`);
  con.closeSync();
  return path;
}

async function ok(argv: string[]): Promise<string> {
  const r = await run(argv);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('commands on a saved model read --data as glmm fit does', () => {
  it('anova: semicolons guessed, a TSV, a pipe given by --delimiter and a Parquet file give the CSV answer', async () => {
    const anova = (...data: string[]) => ok(['anova', '--model', withoutRows, '--data', ...data, '--format', 'json']);
    const reference = await anova(examples.sleepstudy.csvPath);
    // Satterthwaite's denominator DF read the response from --data.
    expect(JSON.parse(reference)).toMatchObject({ dfMethod: 'satterthwaite', terms: [{ term: 'Days', numDF: 1 }] });
    expect(await anova(tempFile(sleepCsv.replaceAll(',', ';')))).toBe(reference);
    expect(await anova(tempFile(sleepCsv.replaceAll(',', '\t'), 'tsv'))).toBe(reference);
    expect(await anova(tempFile(sleepCsv.replaceAll(',', '|'), 'txt'), '--delimiter', 'pipe')).toBe(reference);
    expect(await anova(await parquetOf(examples.sleepstudy.csvPath))).toBe(reference);
  });

  it('predict: new rows as TSV and as Parquet predict as the CSV does', async () => {
    const model = tempPath('json');
    await ok(['fit', '--data', examples.sleepstudy.csvPath, '--formula', formula, '--save', model, '--quiet']);
    const rows = 'Subject,Days\n308,0\n309,4.5\n999,2\n';
    const csvPath = tempFile(rows);
    const reference = await ok(['predict', '--model', model, '--data', csvPath, '--format', 'json']);
    const predicted = JSON.parse(reference) as { rows: { fit: number }[] };
    expect(predicted.rows).toHaveLength(3);
    const json = (s: string) => JSON.parse(s) as { rows: unknown[] };
    expect(json(await ok(['predict', '--model', model, '--data', tempFile(rows.replaceAll(',', '\t'), 'tsv'), '--format', 'json'])).rows).toEqual(json(reference).rows);
    expect(json(await ok(['predict', '--model', model, '--data', await parquetOf(csvPath), '--format', 'json'])).rows).toEqual(json(reference).rows);
  });

  it('--delimiter without --data is a usage error', async () => {
    const msg = expectOneLineError(await run(['anova', '--model', withoutRows, '--delimiter', ';']), EXIT_USAGE);
    expect(msg).toBe('--delimiter applies to --data, which is not given');
  });
});
