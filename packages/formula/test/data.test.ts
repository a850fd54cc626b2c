import { describe, expect, it } from 'vitest';
import { GlmmInputError } from '@glmm/core';
import { categoricalCells, formatRNumber, parseCsv, toDataTable, type CategoricalColumn } from '../src/index.js';

describe('parseCsv', () => {
  it('builds numeric columns as Float64Array and text columns as categorical columns', () => {
    const t = parseCsv('"Reaction","Days","Subject"\n249.56,0,"308"\n258.7047,1,"A"\nNA,2,"308"\n');
    expect(t.names).toEqual(['Reaction', 'Days', 'Subject']);
    expect(t.nrows).toBe(3);
    expect(t.columns.Reaction).toBeInstanceOf(Float64Array);
    expect(Array.from(t.columns.Reaction as Float64Array)).toEqual([249.56, 258.7047, Number.NaN]);
    expect(Array.from(t.columns.Days as Float64Array)).toEqual([0, 1, 2]);
    expect(t.columns.Subject).toEqual({ kind: 'categorical', levels: ['308', 'A'], codes: Int32Array.of(0, 1, 0) });
    expect(categoricalCells(t.columns.Subject as CategoricalColumn)).toEqual(['308', 'A', '308']);
  });

  it('reads Inf, scientific notation and quoted numbers', () => {
    const t = parseCsv('a,b\n"1e3",Inf\n-2.5,-Inf\n');
    expect(Array.from(t.columns.a as Float64Array)).toEqual([1000, -2.5]);
    expect(Array.from(t.columns.b as Float64Array)).toEqual([Infinity, -Infinity]);
  });

  it('names blank header cells as R does and refuses duplicate names', () => {
    expect(parseCsv('x,,y,\n1,2,3,4\n').names).toEqual(['x', 'X', 'y', 'X.1']);
    expect(parseCsv(',X\n1,2\n').names).toEqual(['X.1', 'X']);
    expect(() => parseCsv('y,x,x,g\n1,2,3,a\n')).toThrow(
      'duplicate column name "x" (columns 2, 3); every column needs its own name, so rename it',
    );
    expect(() => parseCsv('a, b,a,b \n1,2,3,4\n')).toThrow('duplicate column names "a" (columns 1, 3), "b" (columns 2, 4)');
  });

  it('rejects malformed CSV with a one-line GlmmInputError', () => {
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow(GlmmInputError);
    expect(() => parseCsv('')).toThrow(/empty/);
  });
});

describe('toDataTable', () => {
  it('accepts records, packing all-number columns into Float64Array', () => {
    const t = toDataTable([{ a: 1, b: 'x' }, { a: null, b: 'y', c: true }]);
    expect(t.names).toEqual(['a', 'b', 'c']);
    expect(Array.from(t.columns.a as Float64Array)).toEqual([1, Number.NaN]);
    expect(t.columns.b).toEqual(['x', 'y']);
    expect(t.columns.c).toEqual([undefined, true]);
  });

  it('accepts named columns and DataTables, and checks lengths', () => {
    const x = new Float64Array([1, 2]);
    const t = toDataTable({ x, g: ['a', 'b'] });
    expect(t.columns.x).toBe(x);
    expect(toDataTable(t)).toBe(t);
    expect(() => toDataTable({ x, g: ['a'] })).toThrow('column "g" has 1 rows but column "x" has 2; all columns must have the same length');
  });
});

describe('formatRNumber (R as.character)', () => {
  it('prints as R does', () => {
    expect(formatRNumber(308)).toBe('308');
    expect(formatRNumber(2.5)).toBe('2.5');
    expect(formatRNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatRNumber(100000)).toBe('1e+05');
    expect(formatRNumber(123456)).toBe('123456');
    expect(formatRNumber(0.0001)).toBe('1e-04');
    expect(formatRNumber(0.00012)).toBe('0.00012');
    expect(formatRNumber(-3)).toBe('-3');
    expect(formatRNumber(1e15)).toBe('1e+15');
    expect(formatRNumber(1 / 3)).toBe('0.333333333333333');
  });
});
