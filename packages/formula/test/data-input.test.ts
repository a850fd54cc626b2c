import { describe, expect, it } from 'vitest';
import { GlmmInputError } from '@glmm/core';
import {
  buildModel,
  categoricalCells,
  categoricalFromUtf8,
  delimiterFromOption,
  detectDelimiter,
  nonTextReason,
  parseCsv,
  toDataTable,
  type CategoricalColumn,
} from '../src/index.js';
import { parseCsvReference } from './csv-reference.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('delimiters', () => {
  it('guesses comma, tab, semicolon and pipe from the first lines', () => {
    expect(detectDelimiter(bytes('y,x,g\n1,2,a\n'))).toBe(',');
    expect(detectDelimiter(bytes('y\tx\tg\n1\t2\ta\n'))).toBe('\t');
    expect(detectDelimiter(bytes('y;x;g\n1,5;2,25;a\n3;4;b\n'))).toBe(';');
    expect(detectDelimiter(bytes('y|x\n1|2\n'))).toBe('|');
    expect(detectDelimiter(bytes('y\n1\n2\n'))).toBe(',');
    expect(detectDelimiter(bytes(''))).toBe(',');
  });

  it('counts only delimiters outside quotes and prefers the one that splits every line alike', () => {
    expect(detectDelimiter(bytes('"a;b",c\n"1;2",3\n'))).toBe(',');
    // Semicolons split every line in two; commas (decimal commas) do not agree between lines.
    expect(detectDelimiter(bytes('y;x\n1,5;2\n2;3,25,1\n'))).toBe(';');
    // Tabs give three fields on every line, commas only on the header.
    expect(detectDelimiter(bytes('a,b\tc\td\n1\t2\t3\n'))).toBe('\t');
  });

  it('reads a semicolon file as columns (it was one column before)', () => {
    const t = parseCsv('y;x;g\n1.5;2;a\n2.5;3;b\n');
    expect(t.names).toEqual(['y', 'x', 'g']);
    expect(Array.from(t.columns.y as Float64Array)).toEqual([1.5, 2.5]);
    expect(categoricalCells(t.columns.g as CategoricalColumn)).toEqual(['a', 'b']);
  });

  it('reads TSV and takes a delimiter given by name', () => {
    const text = 'y\tg\n1\t"a b"\n2\tc\n';
    expect(parseCsv(text, { delimiter: delimiterFromOption('tab') })).toEqual(parseCsv(text));
    expect(parseCsv(text, { delimiter: '\t' })).toEqual(parseCsvReference(text, '\t'));
    // A wrong delimiter given on purpose is obeyed: one column.
    expect(parseCsv('y\tg\n1\ta\n', { delimiter: ',' }).names).toEqual(['y\tg']);
    expect(delimiterFromOption(';')).toBe(';');
    expect(delimiterFromOption('\\t')).toBe('\t');
    expect(() => delimiterFromOption('ab')).toThrow(GlmmInputError);
    expect(() => delimiterFromOption('"')).toThrow(/one ASCII character other than a quote/);
  });

  it('reads each delimiter the way csv-parse does, on random tables', () => {
    for (const d of [',', '\t', ';', '|']) {
      const lines = [['a', 'b', 'c'].join(d)];
      for (let i = 0; i < 50; i++) lines.push([String(i * 0.5), i % 7 === 0 ? '' : `g${i % 4}`, `"q${d}${i % 3}"`].join(d));
      const text = lines.join('\n');
      expect(parseCsv(text, { delimiter: d })).toEqual(parseCsvReference(text, d));
      expect(parseCsv(text)).toEqual(parseCsvReference(text, d));
    }
  });
});

describe('input that is not CSV text', () => {
  it('gets a short message for binary data, archives and columnar files', () => {
    const binary = new Uint8Array(5000);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 37 + 11) % 256;
    const err = (() => {
      try {
        parseCsv(binary);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(GlmmInputError);
    expect(err!.message).toMatch(/^data is not CSV text: it holds binary data \(a NUL byte at byte \d+\)$/);
    expect(err!.message.length).toBeLessThan(100);
    expect(nonTextReason(bytes('PAR1....'))).toBe('it is a Parquet file');
    expect(nonTextReason(Uint8Array.of(0x1f, 0x8b, 8, 0))).toMatch(/gzip-compressed/);
    expect(nonTextReason(Uint8Array.of(0x50, 0x4b, 3, 4, 20))).toMatch(/ZIP archive/);
    expect(nonTextReason(Uint8Array.of(0xff, 0xfe, 0x79, 0))).toMatch(/UTF-16/);
    expect(nonTextReason(bytes('y,x\n1,\u00e9\n'))).toBeUndefined();
    expect(nonTextReason(bytes('y\tx\f\n1\t2\r\n'))).toBeUndefined();
  });
});

describe('columns as typed arrays', () => {
  it('accepts every numeric typed array, converting to Float64Array once', () => {
    const t = toDataTable({
      a: Float32Array.of(1.5, 2.5),
      b: Int32Array.of(-1, 2),
      c: Uint8Array.of(0, 1),
      d: Int16Array.of(3, 4),
      e: BigInt64Array.of(5n, 6n),
      f: Uint32Array.of(7, 8),
    });
    for (const name of t.names) expect(t.columns[name]).toBeInstanceOf(Float64Array);
    expect(Array.from(t.columns.a as Float64Array)).toEqual([1.5, 2.5]);
    expect(Array.from(t.columns.b as Float64Array)).toEqual([-1, 2]);
    expect(Array.from(t.columns.e as Float64Array)).toEqual([5, 6]);
    const x = new Float64Array([1, 2]);
    expect(toDataTable({ x }).columns.x).toBe(x);
  });

  it('fits a model from Float32Array and Int32Array columns as from the same numbers in Float64Array', () => {
    const n = 60;
    const y = new Float32Array(n);
    const x = new Int32Array(n);
    const g = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i % 5;
      g[i] = i % 6;
      y[i] = 0.5 * (i % 5) + (i % 6) * 0.25 + ((i * 7) % 3) * 0.1;
    }
    const typed = buildModel('y ~ x + (1 | g)', { y, x, g });
    const plain = buildModel('y ~ x + (1 | g)', { y: Float64Array.from(y), x: Float64Array.from(x), g: Float64Array.from(g) });
    expect(Array.from(typed.y)).toEqual(Array.from(plain.y));
    expect(Array.from(typed.X)).toEqual(Array.from(plain.X));
    expect(typed.terms[0]!.levels).toEqual(plain.terms[0]!.levels);
  });

  it('converts typed columns of a DataTable without changing the caller\'s table, and names what is not a column', () => {
    const table = { names: ['a'], nrows: 2, columns: { a: Int8Array.of(1, 2) } };
    const t = toDataTable(table as never);
    expect(t.columns.a).toBeInstanceOf(Float64Array);
    expect(table.columns.a).toBeInstanceOf(Int8Array);
    expect(() => toDataTable({ a: new DataView(new ArrayBuffer(8)) } as never)).toThrow('column "a" is not an array (got a DataView)');
    expect(() => toDataTable({ a: new Map() } as never)).toThrow('column "a" is not an array (got an object (Map))');
    expect(() => toDataTable({ names: ['a', 'a'], nrows: 1, columns: { a: [1] } })).toThrow('duplicate column name "a" (columns 1, 2)');
  });
});

describe('categoricalFromUtf8', () => {
  it('codes UTF-8 cells of several chunks by offsets in order of first appearance, nulls as NA', () => {
    const data = bytes('bcabbcé');
    const offsets = Int32Array.of(0, 1, 2, 3, 4, 5, 6, 8);
    const col = categoricalFromUtf8([{ bytes: data, offsets: offsets.subarray(0, 4), length: 3, isNull: (i) => i === 2 }, { bytes: data, offsets: offsets.subarray(3), length: 4 }]);
    expect(col.levels).toEqual(['b', 'c', 'NA', 'é']);
    expect(categoricalCells(col)).toEqual(['b', 'c', 'NA', 'b', 'b', 'c', 'é']);
  });

  it('merges byte sequences that decode to the same text', () => {
    // Two different invalid bytes both read as U+FFFD.
    const data = Uint8Array.of(0xff, 0xfe, 0x61);
    const col = categoricalFromUtf8([{ bytes: data, offsets: Int32Array.of(0, 1, 2, 3), length: 3 }]);
    expect(col.levels).toEqual(['\ufffd', 'a']);
    expect(Array.from(col.codes)).toEqual([0, 0, 1]);
  });
});
