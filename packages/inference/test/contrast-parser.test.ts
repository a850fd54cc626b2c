import { describe, expect, it } from 'vitest';
import { parseContrast } from '../src/index.js';

const names = ['(Intercept)', 'recipeB', 'recipeC', 'x1', 'x10', 'A:B', 'log(x + 1)'];

describe('parseContrast', () => {
  it('reads differences, multipliers and right-hand sides', () => {
    expect(parseContrast('recipeB - recipeC = 0', names)).toMatchObject({ coefficients: [0, 1, -1, 0, 0, 0, 0], rhs: 0 });
    expect(parseContrast('2*x1 + x10 = 3', names)).toMatchObject({ coefficients: [0, 0, 0, 2, 1, 0, 0], rhs: 3 });
    expect(parseContrast('(Intercept) + 5*recipeB = 300', names)).toMatchObject({ coefficients: [1, 5, 0, 0, 0, 0, 0], rhs: 300 });
    expect(parseContrast('recipeB', names)).toMatchObject({ coefficients: [0, 1, 0, 0, 0, 0, 0], rhs: 0 });
  });

  it('takes names with brackets, colons and operators as written, whitespace optional inside', () => {
    expect(parseContrast('A:B - log(x+1) = -0.5', names)).toMatchObject({ coefficients: [0, 0, 0, 0, 0, 1, -1], rhs: -0.5 });
    expect(parseContrast('(recipeB + recipeC)/2 = (Intercept)', names)).toMatchObject({ coefficients: [-1, 0.5, 0.5, 0, 0, 0, 0], rhs: 0 });
    expect(parseContrast('x1*2 - 1e-1 = recipeB', names)).toMatchObject({ coefficients: [0, -1, 0, 2, 0, 0, 0], rhs: 0.1 });
  });

  it('refuses what is not a linear hypothesis on known coefficients, in one line', () => {
    expect(() => parseContrast('recipeD - recipeC = 0', names)).toThrow(/unknown coefficient "recipeD" at character 1; coefficients: \(Intercept\), recipeB/);
    expect(() => parseContrast('x1 * x10', names)).toThrow(/multiplies two coefficients/);
    expect(() => parseContrast('x1 / x10', names)).toThrow(/divides by a coefficient/);
    expect(() => parseContrast('2 = 2', names)).toThrow(/involves no coefficient/);
    expect(() => parseContrast('(x1 + x10', names)).toThrow(/unclosed/);
    expect(() => parseContrast('x1 = 0 = 1', names)).toThrow(/where the contrast should end/);
    expect(() => parseContrast('   ', names)).toThrow(/is empty/);
    expect(() => parseContrast('x1 +', names)).toThrow(/ends where a coefficient or number was expected/);
  });
});
