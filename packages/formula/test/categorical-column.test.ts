import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import {
  buildModel,
  categoricalCells,
  categoricalColumn,
  isCategoricalColumn,
  parseCsv,
  toDataTable,
  type CategoricalColumn,
  type CellValue,
  type ColumnData,
  type DataTable,
} from '../src/index.js';
import { rng } from './rng.js';

/** The same table with every categorical column written out as a cell array. */
function asCells(t: DataTable): DataTable {
  const columns: Record<string, ColumnData> = {};
  for (const name of t.names) {
    const col = t.columns[name] as ColumnData;
    columns[name] = isCategoricalColumn(col) ? categoricalCells(col) : col;
  }
  return { names: t.names, nrows: t.nrows, columns };
}

/** Everything a model frame holds, as plain values. */
function content(m: ModelMatrices): unknown {
  return {
    n: m.n,
    y: Array.from(m.y),
    weights: Array.from(m.weights),
    trials: Array.from(m.trials),
    offset: Array.from(m.offset),
    X: Array.from(m.X),
    fixedNames: m.fixedNames,
    usedRows: Array.from(m.usedRows),
    excluded: m.excluded,
    terms: m.terms.map((t) => ({
      group: t.group,
      levels: t.levels,
      index: Array.from(t.index),
      columns: t.columns.map((c) => Array.from(c)),
      columnNames: t.columnNames,
    })),
  };
}

/** The model, or the error message. */
function outcome(formula: string, data: DataTable, options?: Parameters<typeof buildModel>[2]): unknown {
  try {
    return content(buildModel(formula, data, options));
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * Text with the awkward cells a CSV holds: missing markers ("", "NA", "NaN"),
 * numeric text in a text column, a mostly-numeric column with a typo, a
 * logical column, mixed-case levels.
 */
function csvText(n: number, seed: number): string {
  const next = rng(seed);
  const lines = ['y,x,g,h,num,flag,k,w'];
  const groups = ['b2', 'a10', 'A1', 'c', '10', '9'];
  for (let i = 0; i < n; i++) {
    const y = i % 37 === 3 ? 'NA' : (Math.round(next() * 1000) / 10).toString();
    const x = i % 41 === 5 ? 'oops' : (Math.round((next() - 0.5) * 400) / 100).toString();
    const g = i % 53 === 7 ? '' : i % 59 === 8 ? 'NA' : (groups[Math.floor(next() * groups.length)] as string);
    const h = `lvl${Math.floor(next() * 4)}`;
    const num = i === 11 ? 'NaN' : i === 12 ? 'typo' : String(Math.floor(next() * 5));
    const flag = next() < 0.5 ? 'TRUE' : 'FALSE';
    const k = `K${Math.floor(next() * 3)}`;
    const w = (0.5 + Math.floor(next() * 4) / 2).toString();
    lines.push([y, x, g, h, num, flag, k, w].join(','));
  }
  return lines.join('\n');
}

const CASES: { formula: string; options?: Parameters<typeof buildModel>[2] }[] = [
  { formula: 'y ~ x + (1 | g)' },
  { formula: 'y ~ x * h + (1 + x | g)' },
  { formula: 'y ~ num + flag + (1 | h:g)', options: { weights: 'w' } },
  { formula: 'y ~ 0 + h + x:k + (x || g)' },
  { formula: 'y ~ num + (1 | g) + (1 | k)', options: { categorical: ['num'] } },
  { formula: 'flag ~ x + (1 | g)' },
  // Errors: text where a number is needed, a categorical column forced numeric, a one-level factor.
  { formula: 'h ~ x + (1 | g)' },
  { formula: 'y ~ x + (1 | g)', options: { weights: 'h' } },
  { formula: 'y ~ x + (1 | g)', options: { categorical: ['y'] } },
  { formula: 'y ~ x + (1 | k)', options: { offset: 'g' } },
];

describe('categorical columns', () => {
  it('give the same models and the same error messages as cell arrays', () => {
    const table = parseCsv(csvText(600, 3));
    for (const name of ['x', 'g', 'h', 'num', 'flag', 'k']) expect(isCategoricalColumn(table.columns[name])).toBe(true);
    const cells = asCells(table);
    for (const { formula, options } of CASES) {
      const a = outcome(formula, table, options);
      expect(a, formula).toEqual(outcome(formula, cells, options));
      // The second build (cached dictionaries) gives the same again.
      expect(outcome(formula, table, options), formula).toEqual(a);
    }
    expect(outcome('h ~ x + (1 | g)', table)).toEqual({
      error: 'column "h" used as the response is categorical (it holds text such as "lvl0") in 600 rows; the response must be numeric',
    });
  });

  it('quote the excluded cells as written', () => {
    const table = parseCsv('y,g\n1,a\n2,\n3,NA\n4,b\n5," NA "\n6,a\n');
    const m = buildModel('y ~ 1 + (1 | g)', table);
    expect(m.excluded.rows).toEqual([
      { row: 2, column: 'g', reason: 'missing', value: '' },
      { row: 3, column: 'g', reason: 'missing', value: 'NA' },
      { row: 5, column: 'g', reason: 'missing', value: ' NA ' },
    ]);
    expect(m.terms[0]!.levels).toEqual(['a', 'b']);
    expect(Array.from(m.terms[0]!.index)).toEqual([0, 1, 0]);
  });

  it('name the first text cell of a column whose levels are in any order', () => {
    const g = categoricalColumn(Int32Array.of(1, 2, 0, 2), ['late', '3', 'early']);
    expect(() => buildModel('g ~ 1', { g, h: ['a', 'b', 'a', 'b'] })).toThrow('holds text such as "early"');
  });

  it('share their codes as the level index when the levels are in R order and every row is used', () => {
    const codes = Int32Array.of(0, 1, 2, 1, 0, 2);
    const g = categoricalColumn(codes, ['a', 'b', 'c']);
    const y = Float64Array.of(1, 2, 3, 4, 5, 6);
    expect(buildModel('y ~ 1 + (1 | g)', { y, g }).terms[0]!.index).toBe(codes);
    // Levels out of order are recoded.
    const h = categoricalColumn(Int32Array.of(0, 1, 2, 1, 0, 2), ['c', 'a', 'b']);
    const m = buildModel('y ~ 1 + (1 | h)', { y, h });
    expect(m.terms[0]!.levels).toEqual(['a', 'b', 'c']);
    expect(Array.from(m.terms[0]!.index)).toEqual([2, 0, 1, 0, 2, 1]);
    // With a row excluded the index covers the used rows only.
    const y2 = Float64Array.of(1, Number.NaN, 3, 4, 5, 6);
    const m2 = buildModel('y ~ 1 + (1 | g)', { y: y2, g });
    expect(Array.from(m2.terms[0]!.index)).toEqual([0, 2, 1, 0, 2]);
  });

  it('reject codes outside their levels', () => {
    expect(() => categoricalColumn(Int32Array.of(0, 2), ['a', 'b'])).toThrow(
      'categorical column: code 2 at row 2 is not one of the 2 levels (codes must be 0..1)',
    );
    const g = categoricalColumn(Int32Array.of(0, 1, 0), ['a', 'b']);
    g.codes[1] = -1;
    expect(() => buildModel('y ~ 1 + (1 | g)', { y: [1, 2, 3], g })).toThrow(
      'categorical column "g": code -1 at row 2 is not one of the 2 levels (codes must be 0..1)',
    );
  });

  it('are accepted among named columns, with their length checked', () => {
    const g = categoricalColumn(Int32Array.of(0, 1, 0), ['a', 'b']);
    const t = toDataTable({ y: [1, 2, 3], g });
    expect(t.columns.g).toBe(g);
    expect(() => toDataTable({ y: [1, 2], g })).toThrow('column "g" has 3 rows but column "y" has 2; all columns must have the same length');
    expect(() => toDataTable({ names: ['g'], nrows: 2, columns: { g } })).toThrow('column "g" has 3 rows but the table has 2');
  });

  it('decode to the cells they stand for', () => {
    const g: CategoricalColumn = categoricalColumn(Int32Array.of(1, 0, 1), ['x', 'y']);
    expect(categoricalCells(g)).toEqual(['y', 'x', 'y']);
    const cells: CellValue[] = categoricalCells(g);
    expect(cells).toHaveLength(3);
  });
});

describe('model frames of the same size', () => {
  it('share their constant columns', () => {
    const data = { y: [1, 2, 3, 4, 5, 6], x: [1, 3, 2, 5, 4, 6], g: ['a', 'a', 'b', 'b', 'c', 'c'] };
    const a = buildModel('y ~ x + (1 | g)', data);
    const b = buildModel('y ~ x + (1 | g)', data);
    expect(a.weights).toBe(a.trials);
    expect(b.weights).toBe(a.weights);
    expect(b.offset).toBe(a.offset);
    expect(b.usedRows).toBe(a.usedRows);
    expect(a.terms[0]!.columns[0]).toBe(a.trials);
    expect(Array.from(a.weights)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(a.offset)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(a.usedRows)).toEqual([0, 1, 2, 3, 4, 5]);
    // Weights, offsets and binomial trials of their own are not shared.
    const w = buildModel('y ~ x + (1 | g)', { ...data, w: [1, 2, 1, 2, 1, 2], o: [0, 0, 1, 0, 0, 1] }, { weights: 'w', offset: 'o' });
    expect(Array.from(w.weights)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(Array.from(w.offset)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(w.trials).toBe(a.trials);
    const c = buildModel('cbind(y, x) ~ 1 + (1 | g)', data);
    expect(Array.from(c.trials)).toEqual([2, 5, 5, 9, 9, 12]);
    expect(c.weights).toBe(c.trials);
    expect(Array.from(a.trials)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
