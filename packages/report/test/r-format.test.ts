import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coefficientColumns, formatPValueR, formatR, roundR } from '../src/r-format.js';

/** Made by packages/report/r/make-format-reference.R: what R prints for these numbers. */
interface Reference {
  format: { values: number[] | number; digits: number; nsmall: number; expected: string[] | string }[];
  pval: { values: number[] | number; digits: number; expected: string[] | string }[];
  round: { x: number; digits: number; expected: number }[];
  coef: { estimate: number[]; stdError: number[]; statistic: number[]; pValue: number[]; cells: string[][] }[];
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/r-format.json', import.meta.url), 'utf8')) as Reference;
const list = <T>(v: T[] | T): T[] => (Array.isArray(v) ? v : [v]);

describe("R's format()", () => {
  it(`matches R on ${ref.format.length} vectors, digits 3 to 7, nsmall 0 and 2`, () => {
    const mismatches: string[] = [];
    for (const c of ref.format) {
      const got = formatR(list(c.values), c.digits, c.nsmall);
      const want = list(c.expected);
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(`format(c(${list(c.values).join(', ')}), digits = ${c.digits}, nsmall = ${c.nsmall}): ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('prints a lone 5e-4 as R does, not as 0.0005', () => {
    expect(formatR([5e-4], 7)).toEqual(['5e-04']);
    expect(formatR([5e-4, 1.2], 4)).toEqual(['0.0005', '1.2000']);
  });

  it('rounds as R >= 4 does', () => {
    for (const c of ref.round) expect(roundR(c.x, c.digits), `round(${c.x}, ${c.digits})`).toBe(c.expected);
  });

  it('formats p-values as format.pval', () => {
    for (const c of ref.pval) expect(formatPValueR(list(c.values), c.digits)).toEqual(list(c.expected));
  });
});

describe('printCoefmat', () => {
  it.each(ref.coef.map((c, i) => [i, c] as const))('table %i has the cells R prints', (_, c) => {
    const cols = coefficientColumns({ estimate: c.estimate, stdError: c.stdError, statistic: c.statistic, pValues: c.pValue }, 4);
    c.cells.forEach((row, i) => {
      const [est, se, z, ...p] = row;
      expect([cols.estimate[i], cols.stdError[i], cols.statistic[i], cols.pValues![i]]).toEqual([est, se, z, p.join(' ')]);
    });
  });
});
