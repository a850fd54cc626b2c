import { describe, expect, it } from 'vitest';
import { GlmmInputError } from '@glmm/core';
import { buildModel, parseCsv, type CellValue } from '../src/index.js';

/** 60 rows; row 5 has x = NA, row 12 x = "abc", row 30 y = Inf, row 41 an empty group. */
function records(): Record<string, CellValue>[] {
  const out: Record<string, CellValue>[] = [];
  for (let i = 0; i < 60; i++) {
    out.push({ y: 10 + i * 0.5, x: (i % 7) + 0.25, g: `G${i % 5}`, unused: 'NA' });
  }
  out[4]!.x = 'NA';
  out[11]!.x = 'abc';
  out[29]!.y = 'Inf';
  out[40]!.g = '';
  return out;
}

const expectedRows = [
  { row: 5, column: 'x', reason: 'missing', value: 'NA' },
  { row: 12, column: 'x', reason: 'non-numeric', value: 'abc' },
  { row: 30, column: 'y', reason: 'non-finite', value: 'Inf' },
  { row: 41, column: 'g', reason: 'missing', value: '' },
];

function checkExclusions(data: Parameters<typeof buildModel>[1]): void {
  const m = buildModel('y ~ x + (1 | g)', data);
  expect(m.n).toBe(56);
  expect(m.excluded.count).toBe(4);
  expect(m.excluded.byReason).toEqual({ missing: 2, 'non-numeric': 1, 'non-finite': 1 });
  expect(m.excluded.rows).toEqual(expectedRows);
  const used = Array.from(m.usedRows);
  expect(used).toHaveLength(56);
  for (const skipped of [4, 11, 29, 40]) expect(used).not.toContain(skipped);
  expect(used.slice(0, 5)).toEqual([0, 1, 2, 3, 5]);
  // x column of X follows the used rows: row index 5 has x = 5 % 7 + 0.25.
  expect(m.X[m.n + 4]).toBe(5.25);
  expect(m.y[4]).toBe(12.5);
  expect(m.terms[0]!.levels).toEqual(['G0', 'G1', 'G2', 'G3', 'G4']);
}

describe('row exclusions', () => {
  it('drops NA, text, Inf and empty cells from records, with reasons', () => {
    checkExclusions(records());
  });

  it('gives the same result from CSV text', () => {
    const lines = ['y,x,g,unused'];
    for (const r of records()) lines.push([r.y, r.x, r.g === '' ? '' : `"${r.g}"`, r.unused].join(','));
    const table = parseCsv(lines.join('\n'));
    expect(table.columns.y).toBeInstanceOf(Float64Array);
    expect(table.columns.x).not.toBeInstanceOf(Float64Array);
    checkExclusions(table);
  });

  it('ignores bad cells in columns the model does not use', () => {
    const m = buildModel('y ~ 1 + (1 | g)', records());
    expect(m.n).toBe(58);
    expect(m.excluded.rows.map((r) => r.row)).toEqual([30, 41]);
  });

  it('counts weights and offset columns', () => {
    const data = records().map((r, i) => ({ ...r, w: i === 2 ? null : 1, o: i === 3 ? 'NaN' : 0 }));
    const m = buildModel('y ~ 1 + (1 | g)', data, { weights: 'w', offset: 'o' });
    expect(m.excluded.rows.slice(0, 2)).toEqual([
      { row: 3, column: 'w', reason: 'missing' },
      { row: 4, column: 'o', reason: 'missing', value: 'NaN' },
    ]);
  });

  it('treats a mostly-text column as categorical', () => {
    const data = records().map((r, i) => ({ ...r, k: i === 0 ? 3 : i % 2 ? 'odd' : 'even' }));
    const m = buildModel('y ~ k', data);
    expect(m.fixedNames).toEqual(['(Intercept)', 'keven', 'kodd']);
    expect(m.excluded.count).toBe(1);
  });

  it('explains when every row is excluded', () => {
    const data = { y: [1, 2, 3, 4], x: [null, 'NA', '', Number.NaN] };
    try {
      buildModel('y ~ x', data);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(GlmmInputError);
      expect((e as Error).message).toBe('no rows left to fit: all 4 rows were excluded (missing: 4 in column "x")');
    }
  });
});
