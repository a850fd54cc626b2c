import { cellLevelText, isMissingCell } from './cell.js';
import type { CellDictionary } from './cell-dictionary.js';
import { isIdentityRows } from './constant-columns.js';
import type { FactorCodes } from './factor.js';
import { isNumericLevel, levelComparator, levelOrder } from './level-order.js';

/** Level texts of a dictionary's values, and their sorted order, worked out once per dictionary. */
interface LevelTable {
  /** Distinct level texts, in order of first appearance. */
  readonly texts: readonly string[];
  /** Level text id of each dictionary value (values with the same text share a level). */
  readonly textOf: Int32Array;
  /** Text ids of the non-missing values in R's level order, when that order is usable for subsets. */
  sorted?: SortedLevels | null;
}

interface SortedLevels {
  readonly ids: readonly number[];
  /** Whether every text is numeric (which decides the comparator). */
  readonly numeric: boolean;
  readonly isNumeric: readonly boolean[];
}

const tables = new WeakMap<CellDictionary, LevelTable>();

function levelTable(dict: CellDictionary): LevelTable {
  let t = tables.get(dict);
  if (t === undefined) {
    const texts: string[] = [];
    const byText = new Map<string, number>();
    const textOf = new Int32Array(dict.values.length);
    dict.values.forEach((cell, k) => {
      const text = isMissingCell(cell) ? 'NA' : cellLevelText(cell);
      let id = byText.get(text);
      if (id === undefined) {
        id = texts.length;
        byText.set(text, id);
        texts.push(text);
      }
      textOf[k] = id;
    });
    t = { texts, textOf };
    tables.set(dict, t);
  }
  return t;
}

/**
 * The sorted order of all non-missing level texts. A subset sorted with the
 * same comparator comes out in the restricted order only when no two texts
 * compare equal (then the sort's stability, i.e. the order the levels were
 * found in, cannot matter); otherwise null.
 */
function sortedLevels(t: LevelTable, dict: CellDictionary): SortedLevels | null {
  if (t.sorted === undefined) {
    const missing = dict.missing();
    const usable = new Uint8Array(t.texts.length);
    for (let k = 0; k < dict.values.length; k++) if (missing[k] === 0) usable[t.textOf[k] as number] = 1;
    const ids: number[] = [];
    for (let id = 0; id < t.texts.length; id++) if (usable[id] === 1) ids.push(id);
    const texts = ids.map((id) => t.texts[id] as string);
    const isNumeric = t.texts.map(isNumericLevel);
    const numeric = ids.every((id) => isNumeric[id]);
    const compare = levelComparator(texts);
    const order = texts.map((_, i) => i).sort(compare);
    // Tied texts end up next to each other, so adjacent pairs reveal any tie.
    let strict = true;
    for (let i = 1; i < order.length && strict; i++) if (compare(order[i - 1] as number, order[i] as number) === 0) strict = false;
    t.sorted = strict ? { ids: order.map((i) => ids[i] as number), numeric, isNumeric } : null;
  }
  return t.sorted;
}

/**
 * Factor coding of a cell or categorical column, through its dictionary. The
 * codes may be the dictionary's own array (shared, not copied): a model frame
 * only reads them.
 */
export function dictionaryFactor(dict: CellDictionary, rows: Int32Array): FactorCodes {
  const t = levelTable(dict);
  const { texts, textOf } = t;
  const codes = dict.codes;
  const n = rows.length;
  // Text ids in the order the used rows show them (the general path's order of discovery).
  const foundAt = new Int32Array(texts.length).fill(-1);
  const found: string[] = [];
  for (let i = 0; i < n && found.length < texts.length; i++) {
    const id = textOf[codes[rows[i] as number] as number] as number;
    if (foundAt[id] < 0) {
      foundAt[id] = found.length;
      found.push(texts[id] as string);
    }
  }
  const order = foundOrder(t, dict, foundAt, found);
  const rank = new Int32Array(found.length);
  order.forEach((orig, pos) => {
    rank[orig] = pos;
  });
  // Final code of each dictionary value, so that each row costs two lookups.
  const byValue = new Int32Array(textOf.length);
  let identity = true;
  for (let k = 0; k < textOf.length; k++) {
    const at = foundAt[textOf[k] as number] as number;
    byValue[k] = at < 0 ? -1 : (rank[at] as number);
    if (byValue[k] !== k) identity = false;
  }
  const levels = order.map((i) => found[i] as string);
  // Every row used (rows is then 0..n-1) and the values already in level order: the codes are the factor.
  if (rows.length === codes.length && isIdentityRows(rows)) return { levels, codes: identity ? codes : recode(codes, byValue) };
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = byValue[codes[rows[i] as number] as number] as number;
  return { levels, codes: out };
}

/** byValue[codes[i]] for every row. */
function recode(codes: Int32Array, byValue: Int32Array): Int32Array {
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = byValue[codes[i] as number] as number;
  return out;
}

/** levelOrder(found), taken from the cached full order where that gives the same answer. */
function foundOrder(t: LevelTable, dict: CellDictionary, foundAt: Int32Array, found: readonly string[]): number[] {
  const sorted = sortedLevels(t, dict);
  if (sorted === null) return levelOrder(found);
  let numeric = true;
  let covered = 0;
  for (let id = 0; id < foundAt.length; id++) {
    if ((foundAt[id] as number) < 0) continue;
    if (!sorted.isNumeric[id]) numeric = false;
    covered++;
  }
  const order: number[] = [];
  for (const id of sorted.ids) {
    const at = foundAt[id] as number;
    if (at >= 0) order.push(at);
  }
  // Found levels outside the cached order (missing cells) or another comparator: sort afresh.
  if (order.length !== covered || numeric !== sorted.numeric) return levelOrder(found);
  return order;
}
