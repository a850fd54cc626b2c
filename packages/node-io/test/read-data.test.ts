import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GlmmInputError } from '@glmm/core';
import { buildModel, categoricalCells, parseCsv, type CategoricalColumn, type DataTable } from '@glmm/formula';
import { readCsvFile, readDataBytes, readDataFile, readStdinBytes } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'glmm-node-io-'));
let counter = 0;
function file(content: string | Uint8Array, ext = 'csv'): string {
  const p = join(dir, `f${counter++}.${ext}`);
  writeFileSync(p, content);
  return p;
}

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const TEXT = 'y,x,g\n1.5,2,a\n2.5,3,b\n3.5,,a\n';

describe('delimited text files', () => {
  it('reads CSV, TSV (by extension) and semicolon files into the same table', async () => {
    const expected = parseCsv(TEXT);
    expect(readCsvFile(file(TEXT))).toEqual(expected);
    expect(await readDataFile(file(TEXT))).toEqual(expected);
    expect(await readDataFile(file(TEXT.replaceAll(',', '\t'), 'tsv'))).toEqual(expected);
    expect(await readDataFile(file(TEXT.replaceAll(',', ';'), 'txt'))).toEqual(expected);
    expect(await readDataFile(file(TEXT.replaceAll(',', '|')), { delimiter: '|' })).toEqual(expected);
    // A .tsv file is read with tabs even where commas would split its lines as well.
    expect((await readDataFile(file('a,b\tc\n1,2\t3\n', 'tsv'))).names).toEqual(['a,b', 'c']);
  });

  it('reads standard input', async () => {
    const bytes = await readStdinBytes(Readable.from([Buffer.from('y,g\n1,'), Buffer.from('a\n2,b\n')]));
    expect(await readDataBytes(bytes)).toEqual(parseCsv('y,g\n1,a\n2,b\n'));
  });

  it('reports missing, directory, empty, blank and binary files in one short line naming them', async () => {
    const missing = join(dir, 'nope.csv');
    expect((await errorOf(readDataFile(missing))).message).toBe(`cannot read data file "${missing}": no such file or directory`);
    expect((await errorOf(() => readCsvFile(missing))).message).toBe(`cannot read data file "${missing}": no such file or directory`);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect((await errorOf(readDataFile(sub))).message).toBe(`data file "${sub}" is a directory, not a data file`);
    for (const content of ['', '\n \r\n\t\n']) {
      const p = file(content);
      const e = await errorOf(readDataFile(p));
      expect(e).toBeInstanceOf(GlmmInputError);
      expect(e.message).toBe(`data file "${p}" is empty (0 rows): expected a header row and at least one data row`);
    }
    const binary = new Uint8Array(5000);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 131 + 7) % 256;
    const p = file(binary, 'csv');
    const e = await errorOf(readDataFile(p));
    expect(e).toBeInstanceOf(GlmmInputError);
    expect(e.message).toMatch(new RegExp(`^data file "${p}" is not CSV text: it holds binary data \\(a NUL byte at byte \\d+\\)$`));
    expect((await errorOf(readDataFile(file(Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2))))).message).toMatch(/is not CSV text: it is gzip-compressed data \(decompress it first\)$/);
  });

  it('refuses a .parquet or .arrow name on a file that is not one', async () => {
    const p = file(TEXT, 'parquet');
    expect((await errorOf(readDataFile(p))).message).toBe(`data file "${p}" is not a Parquet file: it does not start with "PAR1"`);
    const a = file(TEXT, 'arrow');
    expect((await errorOf(readDataFile(a))).message).toMatch(/is not an Arrow IPC file/);
    // Asking for CSV reads it as text whatever the name.
    expect(await readDataFile(p, { format: 'csv' })).toEqual(parseCsv(TEXT));
  });
});

/** The model frame a formula builds from a table: what must not depend on the file format. */
function frame(t: DataTable, formula = 'y ~ x + (1 | g)') {
  const m = buildModel(formula, t);
  return { y: Array.from(m.y), X: Array.from(m.X), levels: m.terms[0]!.levels, index: Array.from(m.terms[0]!.index), excluded: m.excluded.count };
}

describe('Arrow IPC', () => {
  it('reads file and stream formats with float64 columns in place and dictionary indices as codes', async () => {
    const arrow = await import('apache-arrow');
    const n = 200;
    const y = new Float64Array(n);
    const x = new Int32Array(n);
    const g: string[] = [];
    for (let i = 0; i < n; i++) {
      y[i] = (i % 7) * 0.5 + i / 100;
      x[i] = i % 5;
      g.push(`grp${i % 9}`);
    }
    const table = arrow.tableFromArrays({ y, x, g });
    for (const kind of ['file', 'stream'] as const) {
      const bytes = arrow.tableToIPC(table, kind);
      const path = file(bytes, kind === 'file' ? 'arrow' : 'arrows');
      const t = await readDataFile(path);
      expect(t.names).toEqual(['y', 'x', 'g']);
      expect(t.columns.y).toBeInstanceOf(Float64Array);
      expect(Array.from(t.columns.y as Float64Array)).toEqual(Array.from(y));
      expect(Array.from(t.columns.x as Float64Array)).toEqual(Array.from(x));
      expect(categoricalCells(t.columns.g as CategoricalColumn)).toEqual(g);
      const csv = parseCsv(['y,x,g', ...g.map((gi, i) => `${y[i]},${x[i]},${gi}`)].join('\n'));
      expect(frame(t)).toEqual(frame(csv));
    }
    // In place: the column is a view into the bytes handed over, not a copy.
    const bytes = arrow.tableToIPC(table, 'file');
    const t = await readDataBytes(bytes);
    expect((t.columns.y as Float64Array).buffer).toBe(bytes.buffer);
    expect((t.columns.g as CategoricalColumn).codes.buffer).toBe(bytes.buffer);
  });

  it('reads nulls as missing, plain utf8 text, booleans, several record batches', async () => {
    const arrow = await import('apache-arrow');
    const y = arrow.vectorFromArray([1.5, null, 3.5, 4.5], new arrow.Float64());
    const x = arrow.vectorFromArray([1, 2, null, 4], new arrow.Int16());
    const s = arrow.vectorFromArray(['a', 'b', null, 'b'], new arrow.Utf8());
    const b = arrow.vectorFromArray([true, false, null, true], new arrow.Bool());
    const one = new arrow.Table({ y, x, s, b });
    const two = one.concat(one);
    const t = await readDataBytes(arrow.tableToIPC(two, 'stream'));
    expect(t.nrows).toBe(8);
    expect(Array.from(t.columns.y as Float64Array)).toEqual([1.5, NaN, 3.5, 4.5, 1.5, NaN, 3.5, 4.5]);
    expect(Array.from(t.columns.x as Float64Array)).toEqual([1, 2, NaN, 4, 1, 2, NaN, 4]);
    expect(categoricalCells(t.columns.s as CategoricalColumn)).toEqual(['a', 'b', 'NA', 'b', 'a', 'b', 'NA', 'b']);
    expect(t.columns.b).toEqual([true, false, null, true, true, false, null, true]);
    const m = buildModel('y ~ x + (1 | s)', t);
    // Rows 2 and 3 (and 6, 7) are missing in y, x or s.
    expect(m.n).toBe(4);
    expect(m.excluded.count).toBe(4);
  });

  it('refuses duplicate field names and says what is wrong with a broken file', async () => {
    const arrow = await import('apache-arrow');
    const a = arrow.vectorFromArray([1, 2], new arrow.Float64());
    const schema = new arrow.Schema([new arrow.Field('x', new arrow.Float64()), new arrow.Field('x', new arrow.Float64())]);
    const batch = new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: 2, children: [a.data[0]!, a.data[0]!] }));
    const bytes = arrow.tableToIPC(new arrow.Table([batch]), 'file');
    expect((await errorOf(readDataBytes(bytes))).message).toBe('duplicate column name "x" (columns 1, 2); every column needs its own name, so rename it');
    const broken = bytes.slice(0, 40);
    const e = await errorOf(readDataBytes(broken));
    expect(e).toBeInstanceOf(GlmmInputError);
    expect(e.message).toMatch(/^data from standard input could not be read as Arrow IPC: /);
  });
});

describe('Parquet', () => {
  /** Writes a Parquet file with DuckDB, a real writer other tools use. */
  async function duckParquet(select: string, options: string): Promise<string> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const path = join(dir, `p${counter++}.parquet`);
    await con.run(`COPY (${select}) TO '${path}' (FORMAT PARQUET${options})`);
    con.closeSync();
    return path;
  }

  const SELECT =
    "SELECT (i % 13) * 0.25 + i / 1000 AS y, (i % 5)::INTEGER AS x, 'g' || (i % 11) AS g, " +
    'CASE WHEN i % 17 = 0 THEN NULL ELSE (i % 3)::BIGINT END AS k, i % 2 = 0 AS flag FROM range(3000) t(i)';

  it('reads doubles, integers, text, nulls and booleans over several row groups, as the same data in CSV', async () => {
    const path = await duckParquet(SELECT, ', ROW_GROUP_SIZE 1024');
    const t = await readDataFile(path);
    expect(t.names).toEqual(['y', 'x', 'g', 'k', 'flag']);
    expect(t.nrows).toBe(3000);
    const lines = ['y,x,g,k,flag'];
    for (let i = 0; i < 3000; i++) lines.push(`${(i % 13) * 0.25 + i / 1000},${i % 5},g${i % 11},${i % 17 === 0 ? 'NA' : i % 3},${i % 2 === 0 ? 'TRUE' : 'FALSE'}`);
    const csv = parseCsv(lines.join('\n'));
    expect(Array.from(t.columns.y as Float64Array)).toEqual(Array.from(csv.columns.y as Float64Array));
    expect(Array.from(t.columns.k as Float64Array)).toEqual(Array.from(csv.columns.k as Float64Array));
    expect(categoricalCells(t.columns.g as CategoricalColumn)).toEqual(categoricalCells(csv.columns.g as CategoricalColumn));
    expect((t.columns.flag as boolean[]).slice(0, 3)).toEqual([true, false, true]);
    expect(frame(t, 'y ~ x + k + (1 | g)')).toEqual(frame(csv, 'y ~ x + k + (1 | g)'));
  });

  it('reads gzip-compressed files and names a codec it cannot decompress', async () => {
    const gz = await duckParquet(SELECT, ", COMPRESSION 'gzip'");
    expect((await readDataFile(gz)).nrows).toBe(3000);
    const zstd = await duckParquet(SELECT, ", COMPRESSION 'zstd'");
    const e = await errorOf(readDataFile(zstd));
    expect(e).toBeInstanceOf(GlmmInputError);
    expect(e.message).toBe(`data file "${zstd}" is a Parquet file compressed with ZSTD, which this reader cannot decompress; write it with snappy, gzip or no compression`);
  });
});
