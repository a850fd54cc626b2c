import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { parseCsvReference } from './csv-reference.js';
import { buildModel, parseCsv, type CategoricalColumn, type CellValue, type DataTable } from '../src/index.js';
import { rng } from './rng.js';

/** Everything a model frame holds except which input rows it came from. */
function content(m: ModelMatrices): unknown {
  return {
    n: m.n,
    p: m.p,
    y: Array.from(m.y),
    weights: Array.from(m.weights),
    trials: Array.from(m.trials),
    offset: Array.from(m.offset),
    X: Array.from(m.X),
    fixedNames: m.fixedNames,
    terms: m.terms.map((t) => ({
      group: t.group,
      levels: t.levels,
      index: Array.from(t.index),
      columns: t.columns.map((c) => Array.from(c)),
      columnNames: t.columnNames,
    })),
  };
}

interface Rows {
  y: number[];
  s: number[];
  f: number[];
  x: number[];
  w: number[];
  o: number[];
  g: string[];
  h: number[];
}

function makeRows(n: number, seed: number): Rows {
  const next = rng(seed);
  const r: Rows = { y: [], s: [], f: [], x: [], w: [], o: [], g: [], h: [] };
  for (let i = 0; i < n; i++) {
    r.x.push(Math.round((next() - 0.5) * 2000) / 100);
    r.g.push(`grp${Math.floor(next() * 12)}`);
    r.h.push(-3 + Math.floor(next() * 7));
    r.y.push(Math.round(next() * 100) / 10);
    r.s.push(Math.floor(next() * 5));
    r.f.push(Math.floor(next() * 4));
    r.w.push(0.5 + Math.floor(next() * 4) / 2);
    r.o.push(Math.round(next() * 10) / 10);
  }
  return r;
}

const FORMULAS: { formula: string; options?: Parameters<typeof buildModel>[2] }[] = [
  { formula: 'y ~ x + (1 | g)' },
  { formula: 'y ~ x * h + (1 + x | g)', options: { categorical: ['h'] } },
  { formula: 'y ~ log(w) + I(x^2) + (1 | g) + (1 | h:g)', options: { weights: 'w', offset: 'o' } },
  { formula: 'cbind(s, f) ~ x + (1 | h)' },
  { formula: 'y ~ 0 + g + x:h + (x || h)', options: { categorical: ['h'] } },
];

describe('model frame with and without excluded rows', () => {
  it('gives the same model whether every row is used or bad rows are skipped', () => {
    const rows = makeRows(400, 9);
    const clean: Record<string, CellValue[]> = { ...rows };
    // The same rows with bad ones interleaved: each is excluded by one of the checks.
    const dirty: Record<string, CellValue[]> = { y: [], s: [], f: [], x: [], w: [], o: [], g: [], h: [] };
    const bad: Record<string, CellValue>[] = [
      { y: 'NA' },
      { x: 'NA' },
      { g: '' },
      { h: Number.NaN },
      { y: 'Inf', s: 'Inf' },
      { w: null },
      { s: null },
      { o: 'text' },
    ];
    for (let i = 0; i < 400; i++) {
      for (const k of Object.keys(dirty)) (dirty[k] as CellValue[]).push((clean[k] as CellValue[])[i] as CellValue);
      if (i % 50 === 7) {
        // Bad in the response of every formula, plus one more bad cell of some kind.
        const b: Record<string, CellValue> = { y: null, s: null, ...(bad[(i / 50) | 0] as Record<string, CellValue>) };
        for (const k of Object.keys(dirty)) (dirty[k] as CellValue[]).push(k in b ? b[k] : (clean[k] as CellValue[])[i]);
      }
    }
    for (const { formula, options } of FORMULAS) {
      const a = buildModel(formula, clean, options);
      const b = buildModel(formula, dirty, options);
      expect(a.excluded.count).toBe(0);
      expect(Array.from(a.usedRows)).toEqual(Array.from({ length: 400 }, (_, i) => i));
      expect(b.excluded.count).toBeGreaterThan(0);
      expect(content(b)).toEqual(content(a));
    }
  });

  it('reads the response and covariates without changing the input columns', () => {
    const y = Float64Array.from([1.5, 2, 3.25, 4, 5, 6.5]);
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const g = ['p', 'p', 'q', 'q', 'r', 'r'];
    const m = buildModel('y ~ x + (1 | g)', { y, x, g });
    expect(Array.from(m.y)).toEqual([1.5, 2, 3.25, 4, 5, 6.5]);
    expect(Array.from(m.X)).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(m.usedRows)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(m.terms[0]!.index)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(y)).toEqual([1.5, 2, 3.25, 4, 5, 6.5]);
    expect(Array.from(x)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('model frame from the fast CSV reader', () => {
  function csvText(n: number): string {
    const r = makeRows(n, 21);
    const lines = ['y,x,g,h,w'];
    for (let i = 0; i < n; i++) lines.push(`${i % 97 === 5 ? 'NA' : r.y[i]},${r.x[i]},${i % 131 === 9 ? '' : r.g[i]},${r.h[i]},${r.w[i]}`);
    return lines.join('\n');
  }

  it('gives the same model as the table csv-parse builds', () => {
    const text = csvText(2000);
    const fast = parseCsv(text);
    const general = parseCsvReference(text);
    for (const { formula, options } of FORMULAS.filter((f) => !f.formula.startsWith('cbind'))) {
      const opts = { ...options, offset: undefined };
      const a = buildModel(formula, fast, opts);
      const b = buildModel(formula, general, opts);
      expect(content(a)).toEqual(content(b));
      expect(a.excluded).toEqual(b.excluded);
      // A second build reuses the cached column dictionaries.
      expect(content(buildModel(formula, fast, opts))).toEqual(content(a));
    }
  });

  it('sees cells changed between builds', () => {
    const g: CellValue[] = ['a', 'b', 'a', 'b', 'c'];
    const table = { y: Float64Array.of(1, 2, 3, 4, 5), g };
    const before = buildModel('y ~ 1 + (1 | g)', table);
    expect(before.terms[0]!.levels).toEqual(['a', 'b', 'c']);
    g[4] = 'a';
    const after = buildModel('y ~ 1 + (1 | g)', table);
    expect(after.terms[0]!.levels).toEqual(['a', 'b']);
    expect(Array.from(after.terms[0]!.index)).toEqual([0, 1, 0, 1, 0]);
  });

  it('sees codes of a categorical column changed between builds', () => {
    const table: DataTable = parseCsv('y,g\n1,a\n2,b\n3,a\n4,b\n5,c\n');
    const before = buildModel('y ~ 1 + (1 | g)', table);
    expect(before.terms[0]!.levels).toEqual(['a', 'b', 'c']);
    (table.columns.g as CategoricalColumn).codes[4] = 0;
    const after = buildModel('y ~ 1 + (1 | g)', table);
    expect(after.terms[0]!.levels).toEqual(['a', 'b']);
    expect(Array.from(after.terms[0]!.index)).toEqual([0, 1, 0, 1, 0]);
  });
});
