import { cellLevelText, formatRNumber, isMissingCell, parseNumericText } from './cell.js';
import type { ColumnData } from './data-table.js';

/** A categorical variable over the used rows: level names and a 0-based code per row. */
export interface FactorCodes {
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

const collator = new Intl.Collator('en-US');

/**
 * R's factor() level order: numeric order when every level reads as a number
 * (what R does after read.csv turns such a column into numbers), otherwise
 * the locale's string collation.
 */
export function levelOrder(levels: readonly string[]): number[] {
  const nums = levels.map((l) => parseNumericText(l));
  const allNumeric = nums.every((v) => v !== undefined && !Number.isNaN(v));
  const idx = levels.map((_, i) => i);
  if (allNumeric) {
    return idx.sort((a, b) => (nums[a] as number) - (nums[b] as number) || collator.compare(levels[a] as string, levels[b] as string));
  }
  return idx.sort((a, b) => collator.compare(levels[a] as string, levels[b] as string) || ((levels[a] as string) < (levels[b] as string) ? -1 : 1));
}

/** Codes a column as a factor over the given rows (missing cells must already be excluded). */
export function factorCodes(col: ColumnData, rows: Int32Array): FactorCodes {
  const n = rows.length;
  const raw = new Int32Array(n);
  const found: string[] = [];
  if (col instanceof Float64Array) {
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
  } else {
    const map = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const cell = col[rows[i] as number];
      const text = isMissingCell(cell) ? 'NA' : cellLevelText(cell);
      let code = map.get(text);
      if (code === undefined) {
        code = found.length;
        map.set(text, code);
        found.push(text);
      }
      raw[i] = code;
    }
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
  const map = new Map<number, number>();
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    if (!map.has(k)) {
      map.set(k, 0);
      distinct.push(k);
    }
  }
  distinct.sort((a, b) => a - b);
  distinct.forEach((k, pos) => map.set(k, pos));
  const levels = distinct.map((k) => {
    const parts: string[] = new Array(factors.length);
    for (let j = factors.length - 1; j >= 0; j--) {
      const f = factors[j] as FactorCodes;
      parts[j] = f.levels[k % f.levels.length] as string;
      k = Math.floor(k / f.levels.length);
    }
    return parts.join(':');
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = map.get(keys[i] as number) as number;
  return { levels, codes };
}
