import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { GlmmInputError } from '@glmm/core';
import { buildModel } from '../src/index.js';

/** Column j of the column-major X. */
const col = (m: ModelMatrices, name: string): number[] => {
  const j = m.fixedNames.indexOf(name);
  if (j < 0) throw new Error(`no column ${name} in ${m.fixedNames.join(', ')}`);
  return Array.from(m.X.subarray(j * m.n, (j + 1) * m.n));
};

const base = {
  y: [1.5, 2, 3.25, 4, 5, 6.5],
  x: [1, 2, 3, 4, 5, 6],
  f: ['b', 'a', 'c', 'a', 'b', 'c'],
  h: ['X', 'X', 'X', 'Y', 'Y', 'Y'],
  g: ['p', 'p', 'q', 'q', 'r', 'r'],
};

const inputError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GlmmInputError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected a GlmmInputError');
};

describe('fixed-effects design (R model.matrix)', () => {
  it('codes a factor with treatment contrasts against the first sorted level', () => {
    const m = buildModel('y ~ f', base);
    expect(m.fixedNames).toEqual(['(Intercept)', 'fb', 'fc']);
    expect(col(m, '(Intercept)')).toEqual([1, 1, 1, 1, 1, 1]);
    expect(col(m, 'fb')).toEqual([1, 0, 0, 0, 1, 0]);
    expect(col(m, 'fc')).toEqual([0, 0, 1, 0, 0, 1]);
    expect(Array.from(m.y)).toEqual(base.y);
    expect(m.responseName).toBe('y');
    expect(Array.from(m.offset)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(m.weights)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('builds numeric:factor interactions', () => {
    const m = buildModel('y ~ x * f', base);
    expect(m.fixedNames).toEqual(['(Intercept)', 'x', 'fb', 'fc', 'x:fb', 'x:fc']);
    expect(col(m, 'x')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(col(m, 'x:fb')).toEqual([1, 0, 0, 0, 5, 0]);
    expect(col(m, 'x:fc')).toEqual([0, 0, 3, 0, 0, 6]);
  });

  it('builds factor:factor interactions with the first factor varying fastest', () => {
    const m = buildModel('y ~ f * h', base);
    expect(m.fixedNames).toEqual(['(Intercept)', 'fb', 'fc', 'hY', 'fb:hY', 'fc:hY']);
    expect(col(m, 'hY')).toEqual([0, 0, 0, 1, 1, 1]);
    expect(col(m, 'fb:hY')).toEqual([0, 0, 0, 0, 1, 0]);
    expect(col(m, 'fc:hY')).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('codes an interaction without its main effects by indicators', () => {
    const m = buildModel('y ~ 0 + f:h', base);
    expect(m.fixedNames).toEqual(['fa:hX', 'fb:hX', 'fc:hX', 'fa:hY', 'fb:hY', 'fc:hY']);
    expect(col(m, 'fa:hX')).toEqual([0, 1, 0, 0, 0, 0]);
    expect(col(m, 'fc:hY')).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('gives the first factor all its levels without an intercept', () => {
    expect(buildModel('y ~ 0 + f + x', base).fixedNames).toEqual(['fa', 'fb', 'fc', 'x']);
    expect(buildModel('y ~ x + f - 1', base).fixedNames).toEqual(['x', 'fa', 'fb', 'fc']);
    expect(buildModel('y ~ 0 + f + h', base).fixedNames).toEqual(['fa', 'fb', 'fc', 'hY']);
    const m = buildModel('y ~ f', base, { intercept: false });
    expect(m.fixedNames).toEqual(['fa', 'fb', 'fc']);
    expect(col(m, 'fa')).toEqual([0, 1, 0, 1, 0, 0]);
  });

  it('treats numeric columns listed as categorical as factors, sorted numerically', () => {
    const m = buildModel('y ~ d', { y: base.y, d: new Float64Array([10, 9, 10, 100, 9, 2.5]) }, { categorical: ['d'] });
    expect(m.fixedNames).toEqual(['(Intercept)', 'd9', 'd10', 'd100']);
    expect(col(m, 'd10')).toEqual([1, 0, 1, 0, 0, 0]);
  });

  it('codes a logical column as a factor (FALSE reference) and evaluates functions', () => {
    const m = buildModel('y ~ b + log(x) + I(x^2)', { ...base, b: [true, false, true, true, false, false] });
    expect(m.fixedNames).toEqual(['(Intercept)', 'bTRUE', 'log(x)', 'I(x^2)']);
    expect(col(m, 'bTRUE')).toEqual([1, 0, 1, 1, 0, 0]);
    expect(col(m, 'I(x^2)')).toEqual([1, 4, 9, 16, 25, 36]);
    expect(col(m, 'log(x)')[1]).toBeCloseTo(Math.log(2), 15);
  });

  it('detects aliased columns', () => {
    expect(inputError(() => buildModel('y ~ x + z', { ...base, z: [2, 4, 6, 8, 10, 12] }))).toMatch(/rank deficient.*z is a linear combination/);
    // f:h with an intercept: the six cell indicators sum to the intercept.
    expect(inputError(() => buildModel('y ~ f:h', base))).toMatch(/fc:hY/);
  });

  it('rejects too few rows for the fixed effects', () => {
    expect(inputError(() => buildModel('y ~ x * f + h', base))).toMatch(/too few rows: 6 rows used .* for 7 fixed effects/);
  });
});

describe('response, weights and offset', () => {
  const binom = { s: [1, 0, 3, 2], n: [4, 2, 3, 5], w: [1, 2, 1, 0.5], o: [0.1, 0.2, 0.3, 0.4], x: [1, 2, 3, 5], g: ['a', 'a', 'b', 'b'] };

  it('turns cbind(s, n - s) into proportions with the trials as weights', () => {
    const m = buildModel('cbind(s, n - s) ~ x + (1 | g)', binom);
    expect(m.responseName).toBe('cbind(s, n - s)');
    expect(Array.from(m.y)).toEqual([0.25, 0, 1, 0.4]);
    expect(Array.from(m.trials)).toEqual([4, 2, 3, 5]);
    expect(Array.from(m.weights)).toEqual([4, 2, 3, 5]);
  });

  it('multiplies prior weights by the trials and reads an offset column', () => {
    const m = buildModel('cbind(s, n - s) ~ x + (1 | g)', binom, { weights: 'w', offset: 'o' });
    expect(Array.from(m.weights)).toEqual([4, 4, 3, 2.5]);
    expect(Array.from(m.trials)).toEqual([4, 2, 3, 5]);
    expect(Array.from(m.offset)).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it('adds offset() terms of the formula', () => {
    const m = buildModel('s ~ x + offset(log(n)) + (1 | g)', binom);
    expect(Array.from(m.offset)).toEqual([Math.log(4), Math.log(2), Math.log(3), Math.log(5)]);
    expect(m.fixedNames).toEqual(['(Intercept)', 'x']);
  });

  it('keeps trials = 1 for a 0/1 response', () => {
    const m = buildModel('y ~ x + (1 | g)', { y: [0, 1, 1, 0], x: [1, 2, 3, 4], g: ['a', 'a', 'b', 'b'] });
    expect(Array.from(m.trials)).toEqual([1, 1, 1, 1]);
    expect(Array.from(m.weights)).toEqual([1, 1, 1, 1]);
  });

  it('rejects negative and non-integer counts', () => {
    expect(inputError(() => buildModel('cbind(s, n - s) ~ x', { ...binom, s: [1, 0, 4, 2] }))).toMatch(/negative \(-1\) at row 3/);
    expect(inputError(() => buildModel('cbind(s, n - s) ~ x', { ...binom, s: [1, 0.5, 3, 2] }))).toMatch(/not a whole number \(0.5\) at row 2/);
  });

  it('rejects a categorical response', () => {
    const msg = inputError(() => buildModel('f ~ x', base));
    expect(msg).toContain('"f"');
    expect(msg).toContain('must be numeric');
  });
});

describe('random-effects terms (lme4 mkReTrms)', () => {
  it('builds (x | g) with an intercept and slope column', () => {
    const m = buildModel('y ~ x + (x | g)', base);
    expect(m.terms).toHaveLength(1);
    const t = m.terms[0]!;
    expect(t.group).toBe('g');
    expect(t.levels).toEqual(['p', 'q', 'r']);
    expect(Array.from(t.index)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(t.columnNames).toEqual(['(Intercept)', 'x']);
    expect(Array.from(t.columns[0]!)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(t.columns[1]!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.covariance).toBe('unstructured');
  });

  it('expands (x || g) into two terms on the same factor', () => {
    const m = buildModel('y ~ x + (x || g)', base);
    expect(m.terms.map((t) => [t.group, t.columnNames])).toEqual([
      ['g', ['(Intercept)']],
      ['g', ['x']],
    ]);
  });

  it('gives (0 + f | g) one column per level and (1 + f | g) contrasts', () => {
    const m0 = buildModel('y ~ 1 + (0 + f | g)', base);
    expect(m0.terms[0]!.columnNames).toEqual(['fa', 'fb', 'fc']);
    expect(Array.from(m0.terms[0]!.columns[0]!)).toEqual([0, 1, 0, 1, 0, 0]);
    const m1 = buildModel('y ~ 1 + (1 + f | g)', base);
    expect(m1.terms[0]!.columnNames).toEqual(['(Intercept)', 'fb', 'fc']);
    expect(Array.from(m1.terms[0]!.columns[2]!)).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it('orders crossed terms by decreasing number of levels, stable for ties', () => {
    const d = { y: [1, 2, 3, 4, 5, 6], a: ['u', 'u', 'u', 'v', 'v', 'v'], b: ['k', 'l', 'm', 'k', 'l', 'm'], c: ['s', 't', 's', 't', 's', 't'] };
    const m = buildModel('y ~ 1 + (1 | a) + (1 | b) + (1 | c)', d);
    expect(m.terms.map((t) => t.group)).toEqual(['b', 'a', 'c']);
    expect(Array.from(m.terms[0]!.index)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('names nested factors b:a with levels <b>:<a>, b slowest, b:a first', () => {
    const d = {
      y: [1, 2, 3, 4, 5, 6, 7, 8],
      a: ['B', 'A', 'A', 'A', 'B', 'B', 'B', 'A'],
      b: ['x', 'x', 'x', 'y', 'y', 'x', 'y', 'y'],
    };
    const m = buildModel('y ~ 1 + (1 | a/b)', d);
    expect(m.terms.map((t) => t.group)).toEqual(['b:a', 'a']);
    expect(m.terms[0]!.levels).toEqual(['x:A', 'x:B', 'y:A', 'y:B']);
    expect(Array.from(m.terms[0]!.index)).toEqual([1, 0, 0, 2, 3, 1, 3, 2]);
    expect(m.terms[1]!.levels).toEqual(['A', 'B']);
    expect(Array.from(m.terms[1]!.index)).toEqual([1, 0, 0, 0, 1, 1, 1, 0]);
  });

  it('reads an interaction grouping factor (1 | a:b), keeping only observed levels', () => {
    const d = { y: [1, 2, 3, 4], a: ['A', 'A', 'B', 'B'], b: ['x', 'y', 'x', 'x'] };
    const m = buildModel('y ~ 1 + (1 | a:b)', d);
    expect(m.terms[0]!.group).toBe('a:b');
    expect(m.terms[0]!.levels).toEqual(['A:x', 'A:y', 'B:x']);
    expect(Array.from(m.terms[0]!.index)).toEqual([0, 1, 2, 2]);
  });

  it('names levels of a numeric grouping column as R prints them', () => {
    const m = buildModel('y ~ 1 + (1 | s)', { y: [1, 2, 3, 4], s: new Float64Array([308, 1e5, 308, 0.5]) });
    expect(m.terms[0]!.levels).toEqual(['0.5', '308', '1e+05']);
  });

  it('rejects a grouping factor with one level', () => {
    expect(inputError(() => buildModel('y ~ x + (1 | k)', { ...base, k: ['z', 'z', 'z', 'z', 'z', 'z'] }))).toBe(
      'grouping variable "k" has only 1 level in the 6 rows used (need at least 2)',
    );
  });
});

describe('input errors', () => {
  it('names an unknown column and lists the available ones', () => {
    expect(inputError(() => buildModel('y ~ nope + (1 | g)', base))).toBe(
      'unknown column "nope" in the formula; available columns: y, x, f, h, g',
    );
    expect(inputError(() => buildModel('y ~ x', base, { weights: 'ww' }))).toMatch(/unknown column "ww" in weights/);
  });

  it('rejects empty data', () => {
    expect(inputError(() => buildModel('y ~ x', { y: [], x: [] }))).toMatch(/0 rows/);
    expect(inputError(() => buildModel('y ~ x', []))).toMatch(/data has 0 rows/);
  });
});
