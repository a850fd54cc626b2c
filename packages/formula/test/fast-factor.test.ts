import { describe, expect, it } from 'vitest';
import { cellLevelText, formatRNumber, isMissingCell } from '../src/cell.js';
import { CellDictionary } from '../src/cell-dictionary.js';
import type { CellValue } from '../src/data-table.js';
import { dictionaryFactor } from '../src/dictionary-factor.js';
import { factorCodes, interactionCodes, numberFactor, sortFactor, type FactorCodes } from '../src/factor.js';
import { integerFactor } from '../src/integer-factor.js';
import { levelOrder } from '../src/level-order.js';
import { rng } from './rng.js';

const plain = (f: FactorCodes): { levels: string[]; codes: number[] } => ({ levels: [...f.levels], codes: Array.from(f.codes) });

/** The general cell path as it was: one Map lookup of the level text per row. */
function cellFactorReference(cells: readonly CellValue[], rows: Int32Array): FactorCodes {
  const raw = new Int32Array(rows.length);
  const found: string[] = [];
  const map = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const cell = cells[rows[i] as number];
    const text = isMissingCell(cell) ? 'NA' : cellLevelText(cell);
    let code = map.get(text);
    if (code === undefined) {
      code = found.length;
      map.set(text, code);
      found.push(text);
    }
    raw[i] = code;
  }
  return sortFactor(found, raw);
}

/** The collator order as it was, for every set of levels. */
function levelOrderReference(levels: readonly string[]): number[] {
  const collator = new Intl.Collator('en-US');
  return levels.map((_, i) => i).sort((a, b) => collator.compare(levels[a] as string, levels[b] as string) || ((levels[a] as string) < (levels[b] as string) ? -1 : 1));
}

/** The interaction as it was: a Map over the combined keys, sorted. */
function interactionReference(factors: readonly FactorCodes[]): FactorCodes {
  const n = (factors[0] as FactorCodes).codes.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (const f of factors) key = key * f.levels.length + (f.codes[i] as number);
    keys[i] = key;
  }
  const distinct = [...new Set(keys)].sort((a, b) => a - b);
  const pos = new Map(distinct.map((k, i) => [k, i]));
  const levels = distinct.map((k) => {
    const parts: string[] = [];
    for (let j = factors.length - 1; j >= 0; j--) {
      const f = factors[j] as FactorCodes;
      parts[j] = f.levels[k % f.levels.length] as string;
      k = Math.floor(k / f.levels.length);
    }
    return parts.join(':');
  });
  return { levels, codes: Int32Array.from(keys, (k) => pos.get(k) as number) };
}

const allRows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

function someRows(n: number, next: () => number, keep: number): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (next() < keep) rows.push(i);
  return Int32Array.from(rows);
}

describe('integer-valued numeric factors (lookup table)', () => {
  it('gives the same levels and codes as the general Map path', () => {
    const cases: number[][] = [
      [3, 1, 2, 3, 1],
      [10, -5, 0, -0, 7, 10, -5, 100, 9999, 10000, 12345],
      [100000, 99999, 100001, 120000, 1e5],
      [2000, 2001, 1999, 2000, 2020, 1985],
      [0, 0, 0],
      [-0, 0, 5],
      [1e14, 1e14 - 1, 1e14 + 5],
      [999999999999999, 999999999999990, 999999999999995],
      [-999999999999999, -999999999999990],
      [7],
    ];
    for (const values of cases) {
      const col = Float64Array.from(values);
      const rows = allRows(col.length);
      const fast = integerFactor(col, rows);
      expect(fast).toBeDefined();
      expect(plain(fast as FactorCodes)).toEqual(plain(numberFactor(col, rows)));
      expect(plain(factorCodes(col, rows))).toEqual(plain(numberFactor(col, rows)));
    }
    const f = integerFactor(Float64Array.from([99990, 100000, 99990, 100001]), allRows(4)) as FactorCodes;
    expect(f.levels).toEqual(['99990', '1e+05', '100001']);
    expect(Array.from(f.codes)).toEqual([0, 1, 0, 2]);
  });

  it('declines what it cannot code exactly, and factorCodes then matches the general path', () => {
    const declined = [
      [1.5, 2],
      [1, Number.NaN],
      [1, Number.POSITIVE_INFINITY],
      [1e15, 1e15 + 2],
      [0, 1e9],
      [1e14, -1e14, 3],
      [0.1 + 0.2, 0.3],
    ];
    for (const values of declined) {
      const col = Float64Array.from(values);
      const rows = allRows(col.length);
      expect(integerFactor(col, rows)).toBeUndefined();
      expect(plain(factorCodes(col, rows))).toEqual(plain(numberFactor(col, rows)));
    }
  });

  it('matches on random ids with gaps over random row subsets', () => {
    const next = rng(11);
    for (let k = 0; k < 50; k++) {
      const n = 1 + Math.floor(next() * 400);
      const spread = [3, 50, 1000, 5000][k % 4] as number;
      const shift = Math.floor((next() - 0.5) * 1e6);
      const col = Float64Array.from({ length: n }, () => shift + Math.floor(next() * spread));
      const rows = someRows(n, next, 0.7);
      expect(plain(factorCodes(col, rows))).toEqual(plain(numberFactor(col, rows)));
    }
  });
});

describe('cell factors through the dictionary', () => {
  const cases: CellValue[][] = [
    ['b', 'a', 'c', 'a', 'b'],
    ['g10', 'g2', 'G1', 'g1', 'a-b', 'a_b', 'ab'],
    ['10', '9', '100', '9.5', '-1', '1e3'],
    ['10', 'x', '9'],
    [1, '1', 2, '2.0', 'b', true, false, 'TRUE'],
    [0, -0, '0', 3],
    ['\t1\ufeff', '\t1', '2', '\t1'],
    ['\t1', '\t1\ufeff', '2'],
    ['Zeta', 'alpha', 'Alpha', 'beta', 'éclair', 'eclair'],
    ['x', null, 'NA', '', 'y', undefined, Number.NaN, 'x'],
  ];

  it('gives the same levels and codes as the per-row Map path', () => {
    for (const cells of cases) {
      const rows = Int32Array.from(cells.flatMap((c, i) => (isMissingCell(c) ? [] : [i])));
      expect(plain(dictionaryFactor(CellDictionary.of(cells), rows))).toEqual(plain(cellFactorReference(cells, rows)));
      // Missing cells too, which the general path codes as "NA".
      const every = allRows(cells.length);
      expect(plain(dictionaryFactor(CellDictionary.of(cells), every))).toEqual(plain(cellFactorReference(cells, every)));
    }
  });

  it('reuses its cached level order only where it gives the same answer', () => {
    // The used rows are all numeric although the column is not, which changes the comparator.
    const cells: CellValue[] = ['10', '9', 'x', '100', '9', 'x'];
    const dict = CellDictionary.of(cells);
    for (const rows of [allRows(6), Int32Array.from([0, 1, 3, 4]), Int32Array.from([2, 5]), Int32Array.from([3, 0])]) {
      expect(plain(dictionaryFactor(dict, rows))).toEqual(plain(cellFactorReference(cells, rows)));
    }
    expect(dictionaryFactor(dict, Int32Array.from([0, 1, 3])).levels).toEqual(['9', '10', '100']);
    expect(dictionaryFactor(dict, allRows(6)).levels).toEqual(['10', '100', '9', 'x']);
    // Tied levels: the order depends on which is met first, as in the general path.
    const tied: CellValue[] = ['\t1\ufeff', '\t1', '2'];
    const tiedDict = CellDictionary.of(tied);
    for (const rows of [Int32Array.from([0, 1, 2]), Int32Array.from([1, 0, 2]), Int32Array.from([2, 1, 0])]) {
      expect(plain(dictionaryFactor(tiedDict, rows))).toEqual(plain(cellFactorReference(tied, rows)));
    }
  });

  it('matches on random text and numeric-text columns over random row subsets', () => {
    const next = rng(5);
    const pool = ['a', 'B', 'c1', 'C1', '10', '9', '1e1', 'x y', 'NA', '', 'z', 'g001', 'g010', 'g002', '-3', '3.0'];
    for (let k = 0; k < 100; k++) {
      const n = 1 + Math.floor(next() * 200);
      const width = 1 + Math.floor(next() * pool.length);
      const cells: CellValue[] = Array.from({ length: n }, () => pool[Math.floor(next() * width)] as string);
      const dict = CellDictionary.of(cells);
      for (let r = 0; r < 3; r++) {
        const rows = someRows(n, next, r === 0 ? 1 : 0.5);
        expect(plain(factorCodes(dict, rows))).toEqual(plain(cellFactorReference(cells, rows)));
      }
    }
  });

  it('notices cells changed after the dictionary was built', () => {
    const cells: CellValue[] = ['a', 'b', 'a', 'c'];
    const first = CellDictionary.of(cells);
    expect(CellDictionary.of(cells)).toBe(first);
    cells[1] = 'a';
    const second = CellDictionary.of(cells);
    expect(second).not.toBe(first);
    expect(second.values).toEqual(['a', 'c']);
    expect(plain(dictionaryFactor(second, allRows(4)))).toEqual({ levels: ['a', 'c'], codes: [0, 0, 0, 1] });
    // -0 and 0, NaN and NaN: told apart and matched as Object.is does.
    const zeros: CellValue[] = [0, 'x', Number.NaN];
    const z = CellDictionary.of(zeros);
    expect(CellDictionary.of(zeros)).toBe(z);
    zeros[0] = -0;
    expect(CellDictionary.of(zeros)).not.toBe(z);
    expect(Object.is(CellDictionary.of(zeros).values[0], -0)).toBe(true);
  });
});

describe('level order', () => {
  it('sorts lower-case or upper-case alphanumeric levels as the collator does', () => {
    const next = rng(3);
    for (const alphabet of ['0123456789abcdefghijklmnopqrstuvwxyz', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcXYZ019_-. ']) {
      for (let k = 0; k < 200; k++) {
        const set = new Set<string>();
        const size = 1 + Math.floor(next() * 40);
        while (set.size < size) {
          const len = Math.floor(next() * 6);
          set.add(Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
        }
        const levels = [...set];
        if (levels.every((l) => l !== '' && !Number.isNaN(Number(l)))) continue;
        expect(levelOrder(levels)).toEqual(levelOrderReference(levels));
      }
    }
    expect(['g10', 'g9', 'g1', 'a'].map((_, i, a) => a[levelOrder(a)[i] as number])).toEqual(['a', 'g1', 'g10', 'g9']);
  });
});

describe('interactions', () => {
  it('match the Map path, through the lookup table and beyond its size', () => {
    const next = rng(17);
    for (let k = 0; k < 40; k++) {
      const n = 1 + Math.floor(next() * 300);
      const sizes = [2 + Math.floor(next() * 5), 1 + Math.floor(next() * 40), k % 2 === 0 ? 3 : 5000];
      const factors = sizes.map((s) => {
        const codes = Int32Array.from({ length: n }, () => Math.floor(next() * s));
        return { levels: Array.from({ length: s }, (_, i) => `L${i}`), codes };
      });
      const pick = k % 3 === 0 ? factors : factors.slice(0, 2);
      expect(plain(interactionCodes(pick))).toEqual(plain(interactionReference(pick)));
    }
  });
});

/** formatRNumber as it was (for integers), through toExponential. */
function formatReference(v: number): string {
  if (v === 0) return '0';
  const sci = v.toExponential(14);
  const [mantissaRaw, expRaw] = sci.split('e') as [string, string];
  const mantissa = mantissaRaw.includes('.') ? mantissaRaw.replace(/0+$/, '').replace(/\.$/, '') : mantissaRaw;
  const exp = Number(expRaw);
  const sciText = `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  // For integers below 1e15, String() has no exponent, so no expansion step is needed here.
  const fixedText = String(Number(`${mantissa}e${exp}`));
  return fixedText.length <= sciText.length ? fixedText : sciText;
}

describe('formatRNumber on integers', () => {
  it('prints integers exactly as the general algorithm does', () => {
    const next = rng(23);
    const values: number[] = [1, -1, 9, 10, 100, 1000, 10000, 100000, 120000, 123456, 1e6, 1e14, 999999999999999, -999999999999999, -100000, -120000, 2e5, 20, 300];
    for (let k = 0; k < 20000; k++) {
      const digits = 1 + Math.floor(next() * 15);
      let v = Math.floor(next() * 10 ** digits);
      const zeros = Math.floor(next() * 6);
      v = Math.min(Math.round(v / 10 ** zeros) * 10 ** zeros, 999999999999999);
      values.push(next() < 0.3 ? -v : v);
    }
    const mismatches = values.filter((v) => formatRNumber(v) !== formatReference(v));
    expect(mismatches).toEqual([]);
    expect([100000, 120000, 123456, -300000, 1e14].map(formatRNumber)).toEqual(['1e+05', '120000', '123456', '-3e+05', '1e+14']);
  });
});
