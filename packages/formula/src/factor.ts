import { formatRNumber } from './cell.js';
import type { CellDictionary } from './cell-dictionary.js';
import { dictionaryFactor } from './dictionary-factor.js';
import { integerFactor } from './integer-factor.js';
import { levelOrder } from './level-order.js';

/** A categorical variable over the used rows: level names and a 0-based code per row. */
export interface FactorCodes {
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

/**
 * Codes a column as a factor over the given rows (missing cells must already
 * be excluded); a cell column comes as its dictionary.
 */
export function factorCodes(col: Float64Array | CellDictionary, rows: Int32Array): FactorCodes {
  if (!(col instanceof Float64Array)) return dictionaryFactor(col, rows);
  return integerFactor(col, rows) ?? numberFactor(col, rows);
}

/** Any numeric column (the general path): levels are the values as R prints them. */
export function numberFactor(col: Float64Array, rows: Int32Array): FactorCodes {
  const n = rows.length;
  const raw = new Int32Array(n);
  const found: string[] = [];
  const map = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = col[rows[i] as number] as number;
    let code = map.get(v);
    if (code === undefined) {
      code = found.length;
      map.set(v, code);
      found.push(formatRNumber(v));
    }
    raw[i] = code;
  }
  return sortFactor(found, raw);
}

/** Renumbers codes so that levels come in R's order. */
export function sortFactor(found: readonly string[], raw: Int32Array): FactorCodes {
  const order = levelOrder(found);
  const rank = new Int32Array(found.length);
  order.forEach((orig, pos) => {
    rank[orig] = pos;
  });
  const codes = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) codes[i] = rank[raw[i] as number] as number;
  return { levels: order.map((i) => found[i] as string), codes };
}

/** Largest number of level combinations coded through a lookup table rather than a Map. */
const MAX_COMBINATION_TABLE = 1 << 25;

/**
 * The interaction a:b:c as R's `:` on factors builds it: levels "x:y:z"
 * ordered with the first factor varying slowest, unused combinations dropped.
 */
export function interactionCodes(factors: readonly FactorCodes[]): FactorCodes {
  if (factors.length === 1) return factors[0] as FactorCodes;
  const n = (factors[0] as FactorCodes).codes.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (const f of factors) key = key * f.levels.length + (f.codes[i] as number);
    keys[i] = key;
  }
  const combinations = factors.reduce((a, f) => a * f.levels.length, 1);
  const { distinct, codes } =
    combinations <= Math.min(Math.max(4 * n, 1 << 16), MAX_COMBINATION_TABLE) ? rankByTable(keys, combinations) : rankByMap(keys);
  const levels = distinct.map((k) => {
    const parts: string[] = new Array(factors.length);
    for (let j = factors.length - 1; j >= 0; j--) {
      const f = factors[j] as FactorCodes;
      parts[j] = f.levels[k % f.levels.length] as string;
      k = Math.floor(k / f.levels.length);
    }
    return parts.join(':');
  });
  return { levels, codes };
}

interface RankedKeys {
  /** Distinct keys, ascending. */
  readonly distinct: number[];
  /** Position of each row's key in `distinct`. */
  readonly codes: Int32Array;
}

/** Keys are integers in [0, size): a presence table ranks them without sorting. */
function rankByTable(keys: Float64Array, size: number): RankedKeys {
  const slot = new Int32Array(size);
  for (let i = 0; i < keys.length; i++) slot[keys[i] as number] = 1;
  const distinct: number[] = [];
  for (let k = 0; k < size; k++) {
    if (slot[k] !== 0) {
      slot[k] = distinct.length;
      distinct.push(k);
    }
  }
  const codes = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) codes[i] = slot[keys[i] as number] as number;
  return { distinct, codes };
}

function rankByMap(keys: Float64Array): RankedKeys {
  const map = new Map<number, number>();
  const distinct: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as number;
    if (!map.has(k)) {
      map.set(k, 0);
      distinct.push(k);
    }
  }
  distinct.sort((a, b) => a - b);
  distinct.forEach((k, pos) => map.set(k, pos));
  const codes = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) codes[i] = map.get(keys[i] as number) as number;
  return { distinct, codes };
}
