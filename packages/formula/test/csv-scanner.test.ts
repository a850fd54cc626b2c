import { describe, expect, it } from 'vitest';
import { GlmmInputError } from '@glmm/core';
import { parseNumericText } from '../src/cell.js';
import { parseCsv, scanCsv } from '../src/csv.js';
import { oneKindOfLineEnd, parseCsvReference } from './csv-reference.js';
import { categoricalCells, isCategoricalColumn, type CategoricalColumn } from '../src/categorical-column.js';
import type { ColumnData, DataTable } from '../src/data-table.js';
import { rng } from './rng.js';

/** Column contents with NaN and -0 told apart, and the column's representation. */
function describeColumn(col: ColumnData | undefined): unknown {
  if (col instanceof Float64Array) return { numbers: Array.from(col, (v) => (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v)) };
  if (isCategoricalColumn(col)) return { levels: col.levels, codes: Array.from(col.codes) };
  return { cells: col === undefined ? undefined : Array.from(col) };
}

function describeTable(t: DataTable): unknown {
  return { names: t.names, nrows: t.nrows, columns: t.names.map((n) => describeColumn(t.columns[n])) };
}

/** What a parse gives: the table, or that it failed (the two parsers word their errors differently). */
function outcome(parse: (text: string) => DataTable, text: string): unknown {
  try {
    return describeTable(parse(text));
  } catch (e) {
    expect(e).toBeInstanceOf(GlmmInputError);
    return { error: true };
  }
}

/** parseCsv must read what csv-parse reads exactly as it does, and refuse what it refuses. */
function expectSameAsGeneral(text: string): void {
  expect(outcome((t) => parseCsv(t, { delimiter: ',' }), text)).toEqual(outcome(parseCsvReference, text));
}

function errorOf(text: string): string {
  try {
    parseCsv(text, { delimiter: ',' });
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

describe('fast CSV scanner', () => {
  it('reads plain numeric and text columns straight into columns', () => {
    const text = 'y,x,g\n1.5,-2,a\n2.25,3e2,b\n,NA,a\n';
    const scanned = scanCsv(text, ',');
    expect(scanned).toBeDefined();
    expect(scanned!.header).toEqual(['y', 'x', 'g']);
    expect(scanned!.nrows).toBe(3);
    expect(Array.from(scanned!.columns[0] as Float64Array)).toEqual([1.5, 2.25, Number.NaN]);
    expect(Array.from(scanned!.columns[1] as Float64Array)).toEqual([-2, 300, Number.NaN]);
    const g = scanned!.columns[2] as CategoricalColumn;
    expect(g.kind).toBe('categorical');
    expect(g.levels).toEqual(['a', 'b']);
    expect(Array.from(g.codes)).toEqual([0, 1, 0]);
    expectSameAsGeneral(text);
  });

  it('codes text as one level per distinct value, frozen', () => {
    const t = parseCsv('g\nlong-level-name-0001\nlong-level-name-0002\nlong-level-name-0001\n');
    const g = t.columns.g as CategoricalColumn;
    expect(categoricalCells(g)).toEqual(['long-level-name-0001', 'long-level-name-0002', 'long-level-name-0001']);
    expect(g.levels).toEqual(['long-level-name-0001', 'long-level-name-0002']);
    expect(Object.isFrozen(g.levels)).toBe(true);
    expect(Object.isFrozen(g)).toBe(true);
  });

  it('keeps missing texts as levels of their own, so that cells read back as written', () => {
    const text = 'g,y\na,1\n,2\nNA,3\n"",4\nNaN,5\na,6\n';
    expectSameAsGeneral(text);
    const g = parseCsv(text).columns.g as CategoricalColumn;
    expect(g.levels).toEqual(['a', '', 'NA', 'NaN']);
    expect(categoricalCells(g)).toEqual(['a', '', 'NA', '', 'NaN', 'a']);
  });

  it('handles quoted fields, quoted numbers, BOM, CRLF, empty lines and a missing final newline', () => {
    const cases = [
      '\ufeff"s","d","y"\r\n"1","1002",5\r\n"1","1050",2\r\n',
      '\ufeffa,b\n1,2\n',
      'a,b\r\n1,2\r\n\r\n3,4',
      'a,b\n\n\n1,2\n\n3,4\n\n',
      '\n\na,b\n1,2',
      'a,b\n"",1\n"x y",2\n',
      'a\n""\n',
      'a,b\n1,\n,2\n',
      'a,b,c\n1,2,\n',
      'x\n1\n2\n3',
      'x\n1\n2\n3\n',
      'a,b\n"1.5","NA"\n"",""\n',
      'a,a,,a\n1,2,3,4\n',
      ' a , b \n 1 , 2 \n',
      'a\n\u00e9t\u00e9\n\ud83d\ude00\n',
      'h\n',
      'h',
      '"h"',
      'a,b\n1,2\n3,x\n4,5\n',
      'a,b\nx,1\n2,2\n',
      'a\r\n1\r\n2\r\n',
    ];
    for (const text of cases) expectSameAsGeneral(text);
  });

  it('reads unusual CSV (escaped quotes, line breaks in quotes, CR line ends) as csv-parse does, and refuses what it refuses', () => {
    const cases = [
      'a,b\n"x ""quoted"" y",1\n',
      'a,b\n"multi\nline",1\n',
      'a,b\r\n"multi\r\nline",1\r\n',
      'a,b\nab"c,1\n',
      'a,b\n"abc"d,1\n',
      'a,b\n"unterminated,1\n',
      'a,b\n1,2,3\n',
      'a,b,c\n1,2\n',
      'a,b\r1,2\r3,4\r',
      '',
      '\ufeff',
      '\n\n',
      '\r\n',
      'a\n\ud800\n',
      'a,b\n"1",2"\n',
      'a\n"1""2"\n',
    ];
    for (const text of cases) {
      expectSameAsGeneral(text);
    }
    expect(scanCsv('a,b\n"x ""q""",1\n')?.columns[0]).toEqual({ kind: 'categorical', codes: Int32Array.of(0), levels: ['x "q"'] });
  });

  it('takes every LF, CRLF and CR as a line end, also mixed in one file', () => {
    const t = parseCsv('a,b\r\n1,2\n3,4\r5,6\r\n');
    expect(Array.from(t.columns.a as Float64Array)).toEqual([1, 3, 5]);
    expect(Array.from(t.columns.b as Float64Array)).toEqual([2, 4, 6]);
    expect(parseCsv('a,b\n"x\ry",1\r\n').columns.a).toEqual({ kind: 'categorical', codes: Int32Array.of(0), levels: ['x\ry'] });
  });

  it('says where malformed CSV goes wrong, in one line', () => {
    expect(errorOf('a,b\n1,2\nab"c,1\n')).toBe(
      'CSV could not be parsed: line 3, field 1: a quote inside an unquoted field; quote the whole field and double the quotes inside it ("a ""b"" c")',
    );
    expect(errorOf('a,b\n1,"abc"d\n')).toBe('CSV could not be parsed: line 2, field 2: text after the closing quote');
    expect(errorOf('a,b\n1,2\n\n3,"open\n4,5\n')).toBe('CSV could not be parsed: the quote that opens field 2 on line 4 is never closed');
    expect(errorOf('a,b\r\n1,2\r\n1,2,3\r\n')).toBe('CSV could not be parsed: line 3 has 3 fields but the header has 2');
    expect(errorOf('a,b,c\n1,2,3\n"x\ny",2\n')).toBe('CSV could not be parsed: line 3 has 2 fields but the header has 3');
    expect(errorOf('a,"b"c\n1,2\n')).toBe('CSV could not be parsed: line 1, field 2: text after the closing quote');
    expect(errorOf('')).toBe('CSV is empty: a header row is required');
    expect(errorOf('\n\r\n')).toBe('CSV is empty: a header row is required');
  });

  it('parses numbers exactly as parseNumericText and Number() do', () => {
    const fields = [
      '0', '-0', '+0', '0.0', '-0.000', '00012', '1.', '.5', '-.5', '+.5', '5.e3', '1e5', '1E5', '1e+05', '1e-05', '-1.5e-3',
      '123456789012345', '1234567890123456', '12345678901234567890', '0.1', '0.2', '0.30000000000000004',
      '9007199254740993', '1e22', '1e23', '4.35', '2.675', '1.7976931348623157e308', '1e309', '-1e309', '5e-324', '1e-400',
      '0.000000000000000000000000000001', '123.456e-20', '999999999999999.9', '.', '-', '+', 'e5', '1e', '1e+', '1e-', '--1',
      '1..2', '0x1F', '1_000', 'Inf', '-Inf', '+Infinity', 'Infinity', 'NaN', 'NA', ' 3 ', '\t4', '1,5', 'abc', '1.5abc', '١',
      // Mantissas at and around 2^53, where the digits stop accumulating exactly.
      '900719925474099.3', '9007199254740991.5', '0.9007199254740993', '-90071992547409.95', '9007199254740992', '9007199254740994.1',
      '0.277429242565989', '-1.20706574938542', '0.0000000000000000000001234', '12345678901234567.1', '1.0000000000000002',
    ];
    for (const f of fields) {
      const text = `v\n${f.includes(',') ? `"${f}"` : f}\n`;
      expectSameAsGeneral(text);
      const t = parseCsv(`v\n"${f}"\n2\n`);
      const expected = parseNumericText(f);
      if (expected !== undefined) {
        expect(t.columns.v).toBeInstanceOf(Float64Array);
        expect(Object.is((t.columns.v as Float64Array)[0], expected)).toBe(true);
      }
    }
  });

  it('agrees with Number() on many random decimal numbers', () => {
    const next = rng(7);
    const digits = (k: number): string => Array.from({ length: k }, () => String(Math.floor(next() * 10))).join('');
    const fields: string[] = [];
    for (let i = 0; i < 20000; i++) {
      let mantissa = digits(Math.floor(next() * 12));
      if (next() < 0.7) mantissa += `.${digits(Math.floor(next() * 12))}`;
      if (!/\d/.test(mantissa)) mantissa += '0';
      const exponent = next() < 0.3 ? `e${next() < 0.5 ? '-' : ''}${Math.floor(next() * 30)}` : '';
      fields.push(`${next() < 0.3 ? '-' : ''}${mantissa}${exponent}`);
    }
    const t = parseCsv(`v\n${fields.join('\n')}\n`);
    const general = parseCsvReference(`v\n${fields.join('\n')}\n`);
    expect(describeTable(t)).toEqual(describeTable(general));
    expect(t.columns.v).toBeInstanceOf(Float64Array);
    const v = t.columns.v as Float64Array;
    const mismatches = fields.filter((f, i) => !Object.is(v[i], Number(f)));
    expect(mismatches).toEqual([]);
  });

  it('matches csv-parse on random CSV built from awkward pieces', () => {
    const next = rng(2024);
    const pieces = ['1', '-2.5', '3e2', '', 'NA', 'NaN', 'Inf', 'x', ' ', '"', '""', '"q"', '"1"', ',', '\n', '\r\n', '\r', '0', '.5', 'ab', '\ufeff', 'é'];
    let compared = 0;
    let readable = 0;
    for (let k = 0; k < 3000; k++) {
      const header = next() < 0.5 ? 'a,b' : next() < 0.5 ? 'a' : '"a",b,c';
      let body = '';
      const len = Math.floor(next() * 12);
      for (let i = 0; i < len; i++) body += pieces[Math.floor(next() * pieces.length)] as string;
      const text = `${next() < 0.1 ? '\ufeff' : ''}${header}\n${body}`;
      if (!oneKindOfLineEnd(text)) continue;
      compared++;
      if (!('error' in (outcome(parseCsvReference, text) as object))) readable++;
      expectSameAsGeneral(text);
    }
    // Both readable and malformed texts get compared.
    expect(compared).toBeGreaterThan(1500);
    expect(readable).toBeGreaterThan(300);
    expect(readable).toBeLessThan(compared - 300);
  });

  it('matches csv-parse on random well-formed tables (the fast path proper)', () => {
    const next = rng(99);
    const cell = (): string => {
      const r = next();
      if (r < 0.5) return (Math.round((next() - 0.5) * 1e6) / 1000).toString();
      if (r < 0.6) return '';
      if (r < 0.65) return 'NA';
      if (r < 0.75) return `"${Math.floor(next() * 100)}"`;
      if (r < 0.8) return `g${Math.floor(next() * 5)}`;
      return String(Math.floor(next() * 10));
    };
    for (let k = 0; k < 300; k++) {
      const ncol = 1 + Math.floor(next() * 4);
      const eol = next() < 0.3 ? '\r\n' : '\n';
      const lines = [Array.from({ length: ncol }, (_, j) => `c${j}`).join(',')];
      const nrow = Math.floor(next() * 30);
      for (let i = 0; i < nrow; i++) lines.push(Array.from({ length: ncol }, cell).join(','));
      const text = lines.join(eol) + (next() < 0.5 ? eol : '');
      expectSameAsGeneral(text);
    }
  });

  it('turns a column to text when a late cell is not numeric, keeping first-appearance order', () => {
    const lines = ['n,g'];
    for (let i = 0; i < 50; i++) lines.push(`${i},${i % 3}`);
    lines.push('7,oops');
    const text = lines.join('\n');
    expectSameAsGeneral(text);
    const t = parseCsv(text);
    expect(t.columns.n).toBeInstanceOf(Float64Array);
    const g = t.columns.g as CategoricalColumn;
    expect(g.levels).toEqual(['0', '1', '2', 'oops']);
    expect(categoricalCells(g).slice(0, 4)).toEqual(['0', '1', '2', '0']);
    expect(categoricalCells(g)[50]).toBe('oops');
  });
});
