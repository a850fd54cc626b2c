import { describe, expect, it } from 'vitest';
import { GlmmInputError } from '@glmm/core';
import { FormulaSyntaxError, parseFormula, type Formula } from '../src/index.js';

const labels = (f: Formula): string[] => f.fixed.terms.map((t) => t.label);
const randoms = (f: Formula): string[] => f.random.map((r) => r.label);

describe('parseFormula: fixed part (R terms())', () => {
  it('reads the response and main effects with an intercept', () => {
    const f = parseFormula('Reaction ~ Days');
    expect(f.response).toMatchObject({ kind: 'column', column: 'Reaction', label: 'Reaction' });
    expect(f.fixed.intercept).toBe(true);
    expect(labels(f)).toEqual(['Days']);
    expect(f.random).toEqual([]);
  });

  it('handles 1, 0 and -1', () => {
    expect(parseFormula('y ~ 1').fixed).toMatchObject({ intercept: true, terms: [] });
    expect(parseFormula('y ~ 0 + x').fixed.intercept).toBe(false);
    expect(parseFormula('y ~ -1 + x').fixed.intercept).toBe(false);
    expect(parseFormula('y ~ x - 1').fixed.intercept).toBe(false);
    expect(parseFormula('y ~ 1 + x').fixed.intercept).toBe(true);
    expect(labels(parseFormula('y ~ x - 1'))).toEqual(['x']);
  });

  it('expands a*b into a + b + a:b', () => {
    expect(labels(parseFormula('y ~ a*b'))).toEqual(['a', 'b', 'a:b']);
  });

  it('orders terms by degree and names interactions by first appearance', () => {
    expect(labels(parseFormula('y ~ c:a + a'))).toEqual(['a', 'c:a']);
    expect(labels(parseFormula('y ~ x1:fB + fB + x1'))).toEqual(['fB', 'x1', 'x1:fB']);
  });

  it('distributes parentheses and removes terms with -', () => {
    expect(labels(parseFormula('y ~ (a + b)*c'))).toEqual(['a', 'b', 'c', 'a:c', 'b:c']);
    expect(labels(parseFormula('y ~ (a + b)*c - a:c'))).toEqual(['a', 'b', 'c', 'b:c']);
    expect(labels(parseFormula('y ~ a*b - a'))).toEqual(['b', 'a:b']);
  });

  it('drops duplicate terms, expands ^ and /', () => {
    expect(labels(parseFormula('y ~ a + a + b:a + a:b'))).toEqual(['a', 'a:b']);
    expect(labels(parseFormula('y ~ (a + b + c)^2'))).toEqual(['a', 'b', 'c', 'a:b', 'a:c', 'b:c']);
    expect(labels(parseFormula('y ~ a/b'))).toEqual(['a', 'a:b']);
  });

  it('reads cbind(s, n - s) as a binomial response', () => {
    const f = parseFormula('cbind(incidence, size - incidence) ~ period + (1 | herd)');
    expect(f.response.kind).toBe('cbind');
    expect(f.response.label).toBe('cbind(incidence, size - incidence)');
    expect(labels(f)).toEqual(['period']);
    expect(randoms(f)).toEqual(['1 | herd']);
  });

  it('accepts functions of columns, factor() and offset()', () => {
    const f = parseFormula('y ~ log(x + 1) + I(x^2) + factor(z) + offset(log(t))');
    expect(labels(f)).toEqual(['log(x + 1)', 'I(x^2)', 'factor(z)']);
    expect(f.fixed.variables.map((v) => v.kind)).toEqual(['numeric', 'numeric', 'factor']);
    expect(f.offsets).toHaveLength(1);
  });

  it('accepts backtick-quoted names', () => {
    const f = parseFormula('`my y` ~ `a b` + (1 | `the group`)');
    expect(f.response).toMatchObject({ kind: 'column', column: 'my y' });
    expect(f.fixed.variables[0]?.column).toBe('a b');
    expect(f.random[0]?.group).toBe('the group');
  });
});

describe('parseFormula: random part (lme4 findbars)', () => {
  it('reads (1 | g), (x | g), (0 + x | g), (1 + x + z | g)', () => {
    const f = parseFormula('y ~ x + (1 | g) + (x | h) + (0 + x | k) + (1 + x + z | m)');
    expect(labels(f)).toEqual(['x']);
    expect(randoms(f)).toEqual(['1 | g', '1 + x | h', '0 + x | k', '1 + x + z | m']);
    expect(f.random.map((r) => r.group)).toEqual(['g', 'h', 'k', 'm']);
    expect(f.random[1]?.lhs.intercept).toBe(true);
    expect(f.random[2]?.lhs.intercept).toBe(false);
  });

  it('expands (x || g) into (1 | g) + (0 + x | g)', () => {
    expect(randoms(parseFormula('y ~ x + (x || g)'))).toEqual(['1 | g', '0 + x | g']);
    expect(randoms(parseFormula('y ~ (1 + x + z || g)'))).toEqual(['1 | g', '0 + x | g', '0 + z | g']);
    expect(randoms(parseFormula('y ~ (0 + x || g)'))).toEqual(['0 + x | g']);
  });

  it('expands nesting a/b into b:a and a, and a/b/c deepest first', () => {
    const f = parseFormula('strength ~ 1 + (1 | batch/cask)');
    expect(randoms(f)).toEqual(['1 | cask:batch', '1 | batch']);
    expect(f.random[0]?.factors).toEqual(['cask', 'batch']);
    expect(randoms(parseFormula('y ~ (1 | a/b/c)'))).toEqual(['1 | c:b:a', '1 | b:a', '1 | a']);
  });

  it('reads an interaction grouping factor a:b and crossed terms', () => {
    const f = parseFormula('y ~ (1 | a:b) + (1 | plate) + (1 | sample)');
    expect(f.random.map((r) => r.group)).toEqual(['a:b', 'plate', 'sample']);
    expect(f.random[0]?.factors).toEqual(['a', 'b']);
  });

  it('keeps variables of random terms out of the fixed part', () => {
    const f = parseFormula('y ~ (z | g) + x');
    expect(f.fixed.variables.map((v) => v.label)).toEqual(['x']);
  });
});

describe('parseFormula: syntax errors', () => {
  const errorOf = (text: string): FormulaSyntaxError => {
    try {
      parseFormula(text);
    } catch (e) {
      if (e instanceof FormulaSyntaxError) return e;
      throw e;
    }
    throw new Error(`no error for ${text}`);
  };

  it('reports a missing ) at the end of the formula', () => {
    const e = errorOf('y ~ (x + z');
    expect(e).toBeInstanceOf(GlmmInputError);
    expect(e.position).toBe(11);
    expect(e.expected).toBe("')'");
    expect(e.message).toBe("formula error at position 11: expected ')' but found end of formula");
  });

  it('gives positions and expectations of other mistakes', () => {
    expect(errorOf('y ~ x +').message).toBe("formula error at position 8: expected a column name, number or '(' but found end of formula");
    expect(errorOf('y x').position).toBe(3);
    expect(errorOf('y x').expected).toBe("'~'");
    expect(errorOf('~ x').position).toBe(1);
    expect(errorOf('y ~ x + (1 | )').position).toBe(14);
    expect(errorOf('y ~ 2 + x').position).toBe(5);
    expect(errorOf('y ~ x $ z').position).toBe(7);
    expect(errorOf('y ~ foo(x)').position).toBe(5);
    expect(errorOf('y ~ x))').position).toBe(6);
    expect(errorOf('cbind(s) ~ x').position).toBe(1);
    expect(errorOf('y ~ x + (1 | g').message).toBe("formula error at position 15: expected ')' but found end of formula");
  });

  it('requires parentheses around a random-effects term', () => {
    const e = errorOf('y ~ x | g');
    expect(e.position).toBe(5);
    expect(e.message).toContain("'(' around the random-effects term");
  });

  it('messages are one line', () => {
    for (const t of ['y ~ (x', 'y ~ x | g', 'y ~ a ^ b', 'y ~ (1 | a + b)']) {
      expect(errorOf(t).message).not.toContain('\n');
    }
  });
});
