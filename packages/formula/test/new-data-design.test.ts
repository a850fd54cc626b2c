import { GlmmInputError } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { buildModelFrame, newDataDesign } from '../src/index.js';

const data = {
  y: [1.5, 2, 3.25, 4, 5, 6.5, 2.5, 3],
  x: [1, 2, 3, 4, 5, 6, 7, 8],
  f: ['b', 'a', 'c', 'a', 'b', 'c', 'a', 'b'],
  g: [10, 10, 20, 20, 30, 30, 10, 20],
  h: ['u', 'v', 'u', 'v', 'u', 'v', 'u', 'v'],
};

describe('design of new data under a fitted frame', () => {
  it('rebuilds X, Z and the level indices of the training data exactly', () => {
    const formula = 'y ~ f * x + log(x) + offset(x / 2) + (1 + x | g) + (1 | g:h)';
    const { model, encoding } = buildModelFrame(formula, data, { coding: { f: 'effects' }, categorical: ['g'] });
    const d = newDataDesign(encoding, data);
    expect(d.n).toBe(model.n);
    expect(Array.from(d.X)).toEqual(Array.from(model.X));
    expect(Array.from(d.offset)).toEqual(Array.from(model.offset));
    expect(d.terms.map((t) => t.group)).toEqual(model.terms.map((t) => t.group));
    d.terms.forEach((t, k) => {
      expect(Array.from(t.index)).toEqual(Array.from(model.terms[k]!.index));
      t.columns.forEach((c, j) => expect(Array.from(c)).toEqual(Array.from(model.terms[k]!.columns[j]!)));
    });
  });

  it('codes new rows against the fit levels; unseen or missing groups get -1; no response needed', () => {
    const { encoding } = buildModelFrame('y ~ f + x + (1 | g)', data);
    const fresh = [
      { f: 'c', x: 2, g: 30 },
      { f: 'a', x: 1, g: 99 },
      { f: 'b', x: 0.5, g: null },
      { f: 'b', x: null, g: 10 },
    ];
    const d = newDataDesign(encoding, fresh);
    expect(d.n).toBe(3);
    expect(Array.from(d.usedRows)).toEqual([0, 1, 2]);
    expect(d.excluded.rows).toEqual([{ row: 4, column: 'x', reason: 'missing' }]);
    // columns (Intercept), fb, fc, x
    expect(Array.from(d.X)).toEqual([1, 1, 1, 0, 0, 1, 1, 0, 0, 2, 1, 0.5]);
    expect(Array.from(d.terms[0]!.index)).toEqual([2, -1, -1]);
  });

  it('needs no grouping column for marginal predictions', () => {
    const { encoding } = buildModelFrame('y ~ x + (1 | g)', data);
    const d = newDataDesign(encoding, { x: [3, 4] }, { randomEffects: 'none' });
    expect(d.terms).toEqual([]);
    const slopes = buildModelFrame('y ~ x + (x | g)', data).encoding;
    const columns = newDataDesign(slopes, { x: [3, 4] }, { randomEffects: 'columns' });
    expect(Array.from(columns.terms[0]!.index)).toEqual([-1, -1]);
    expect(Array.from(columns.terms[0]!.columns[1]!)).toEqual([3, 4]);
    expect(() => newDataDesign(encoding, { x: [3, 4] })).toThrow(/unknown column "g" in the grouping factor g/);
  });

  it('names column and level of a fixed-effect level the fit did not see', () => {
    const { encoding } = buildModelFrame('y ~ f + (1 | g)', data);
    try {
      newDataDesign(encoding, { f: ['a', 'z'], g: [10, 10] });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(GlmmInputError);
      expect((e as Error).message).toMatch(/column "f" has level "z" at row 2 of the new data, which the model was not fitted with \(levels: a, b, c\)/);
    }
  });

  it('reads a grouping column given as text where the fit had numbers, and an interaction of groups', () => {
    const { encoding } = buildModelFrame('y ~ x + (1 | g:h)', data);
    const d = newDataDesign(encoding, { x: [1, 2, 3], g: ['10', '20', '10'], h: ['u', 'v', 'v'] });
    const levels = encoding.random[0]!.levels;
    expect(Array.from(d.terms[0]!.index)).toEqual([levels.indexOf('10:u'), levels.indexOf('20:v'), levels.indexOf('10:v')]);
    expect(levels.indexOf('10:v')).toBeGreaterThanOrEqual(0);
  });
});
