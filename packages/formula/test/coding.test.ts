import { GlmmInputError, type ModelMatrices } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { buildModel, buildModelFrame } from '../src/index.js';

const col = (m: ModelMatrices, name: string): number[] => {
  const j = m.fixedNames.indexOf(name);
  if (j < 0) throw new Error(`no column ${name} in ${m.fixedNames.join(', ')}`);
  return Array.from(m.X.subarray(j * m.n, (j + 1) * m.n));
};

const data = {
  y: [1.5, 2, 3.25, 4, 5, 6.5, 2.5, 3],
  x: [1, 2, 3, 4, 5, 6, 7, 8],
  f: ['b', 'a', 'c', 'a', 'b', 'c', 'a', 'b'],
  h: ['X', 'X', 'X', 'Y', 'Y', 'Y', 'X', 'Y'],
  g: ['p', 'p', 'q', 'q', 'r', 'r', 'p', 'q'],
};

const inputError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GlmmInputError);
    return (e as Error).message;
  }
  throw new Error('expected a GlmmInputError');
};

describe('coding of categorical predictors', () => {
  it('effects coding is R contr.sum: the last level is -1 in every column, columns named f1, f2', () => {
    const m = buildModel('y ~ f + (1 | g)', data, { coding: 'effects' });
    expect(m.fixedNames).toEqual(['(Intercept)', 'f1', 'f2']);
    // levels a, b, c: a -> (1, 0), b -> (0, 1), c -> (-1, -1)
    expect(col(m, 'f1')).toEqual([0, 1, -1, 1, 0, -1, 1, 0]);
    expect(col(m, 'f2')).toEqual([1, 0, -1, 0, 1, -1, 0, 1]);
  });

  it('names interaction columns as R does under contr.sum (model.matrix(~ f * x) and ~ x + x:f)', () => {
    expect(buildModel('y ~ f * x + (1 | g)', data, { coding: { f: 'effects' } }).fixedNames).toEqual([
      '(Intercept)',
      'f1',
      'f2',
      'x',
      'f1:x',
      'f2:x',
    ]);
    expect(buildModel('y ~ x + x:f + (1 | g)', data, { coding: 'effects' }).fixedNames).toEqual(['(Intercept)', 'x', 'x:f1', 'x:f2']);
    // Without the intercept the first factor takes indicators (R's contrasts = FALSE), named by level, whatever the coding.
    expect(buildModel('y ~ 0 + f + x + (1 | g)', data, { coding: 'effects' }).fixedNames).toEqual(['fa', 'fb', 'fc', 'x']);
  });

  it('codes per column; the others keep the reference coding', () => {
    const m = buildModel('y ~ f + h + (1 | g)', data, { coding: { h: 'effects' } });
    expect(m.fixedNames).toEqual(['(Intercept)', 'fb', 'fc', 'h1']);
    expect(col(m, 'h1')).toEqual([1, 1, 1, -1, -1, -1, 1, -1]);
  });

  it('full coding gives one indicator per level; with the intercept the design is rank deficient, and the error says why', () => {
    const noIntercept = buildModel('y ~ 0 + f + x + (1 | g)', data, { coding: { f: 'full' } });
    expect(noIntercept.fixedNames).toEqual(['fa', 'fb', 'fc', 'x']);
    const msg = inputError(() => buildModel('y ~ f + (1 | g)', data, { coding: 'full' }));
    expect(msg).toMatch(/full coding of "f" gives one column per level/);
    expect(msg).toMatch(/remove the intercept/);
    // So does a slope per level next to the common slope.
    expect(inputError(() => buildModel('y ~ x + x:f + (1 | g)', data, { coding: { f: 'full' } }))).toMatch(/x:fc is a linear combination/);
    expect(buildModel('y ~ 0 + x:f + (1 | g)', data, { coding: { f: 'full' } }).fixedNames).toEqual(['x:fa', 'x:fb', 'x:fc']);
  });

  it('refuses an unknown coding and a column that is no categorical predictor', () => {
    expect(inputError(() => buildModel('y ~ f + (1 | g)', data, { coding: 'helmert' as never }))).toMatch(/unknown coding "helmert"; codings: reference, effects, full/);
    expect(inputError(() => buildModel('y ~ f + x + (1 | g)', data, { coding: { x: 'effects' } }))).toMatch(
      /coding given for "x", which is not a categorical predictor of the fixed effects; categorical predictors: f/,
    );
  });

  it('records the coding and the terms with their columns in the frame encoding', () => {
    const { encoding } = buildModelFrame('y ~ f * x + (1 | g)', data, { coding: { f: 'effects' } });
    expect(encoding.coding).toEqual({ f: 'effects' });
    expect(encoding.fixedTerms).toEqual([
      { label: '(Intercept)', variables: [], columns: [0] },
      { label: 'f', variables: ['f'], columns: [1, 2] },
      { label: 'x', variables: ['x'], columns: [3] },
      { label: 'f:x', variables: ['f', 'x'], columns: [4, 5] },
    ]);
    expect(encoding.fixed).toEqual([
      { label: 'f', kind: 'factor', column: 'f', levels: ['a', 'b', 'c'] },
      { label: 'x', kind: 'numeric' },
    ]);
    expect(encoding.random).toEqual([
      { group: 'g', spec: 0, levels: ['p', 'q', 'r'], variables: [], columnNames: ['(Intercept)'] },
    ]);
  });
});

describe('rows excluded by request', () => {
  it('leaves the rows out, 1-based, and reports them with their reason before any bad value', () => {
    const withMissing = { ...data, x: [1, 2, Number.NaN, 4, 5, 6, 7, Number.NaN] };
    const { model, encoding } = buildModelFrame('y ~ x + (1 | g)', withMissing, { exclude: [3, 1, 1] });
    expect(Array.from(model.usedRows)).toEqual([1, 3, 4, 5, 6]);
    expect(model.excluded.count).toBe(3);
    expect(model.excluded.byReason).toEqual({ 'excluded by request': 2, missing: 1 });
    expect(model.excluded.rows).toEqual([
      { row: 1, column: '', reason: 'excluded by request' },
      { row: 3, column: '', reason: 'excluded by request' },
      { row: 8, column: 'x', reason: 'missing' },
    ]);
    expect(encoding.exclude).toEqual([1, 3]);
  });

  it('refuses a row that is not in the data', () => {
    expect(inputError(() => buildModel('y ~ x + (1 | g)', data, { exclude: [0] }))).toMatch(/exclude lists row 0, which is not a row of the data \(rows are numbered 1 to 8\)/);
    expect(inputError(() => buildModel('y ~ x + (1 | g)', data, { exclude: [9] }))).toMatch(/row 9/);
    expect(inputError(() => buildModel('y ~ x + (1 | g)', data, { exclude: [2.5] }))).toMatch(/row 2.5/);
  });
});
