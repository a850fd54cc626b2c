import type { CategoricalColumn } from './categorical-column.js';
import { cellStatus, isMissingCell, type CellStatus } from './cell.js';
import type { CellValue } from './data-table.js';

/** Map key of a negative zero, which Map would otherwise merge with +0. */
const NEGATIVE_ZERO = Symbol('-0');

/** Same value in the sense that matters for every derived fact: Object.is. */
function sameCell(a: CellValue, b: CellValue): boolean {
  if (a === b) return a !== 0 || 1 / a === 1 / (b as number);
  return a !== a && b !== b;
}

/**
 * A cell array as its distinct values (in order of first appearance) and one
 * code per row, or a categorical column, which has that form already. Facts
 * about a cell (missing? numeric? level text?) then cost one evaluation per
 * distinct value instead of one per row, which is what makes a text grouping
 * column with a million rows cheap.
 */
export class CellDictionary {
  private statusCache: Uint8Array | undefined;
  private missingCache: Uint8Array | undefined;

  private constructor(
    /** Distinct cells (by Object.is); first appearance first for a cell array. */
    readonly values: readonly CellValue[],
    /** values[codes[i]] is row i's cell. */
    readonly codes: Int32Array,
  ) {}

  /**
   * The dictionary of a cell array. It is cached per array but checked
   * against the cells on every call, because callers may have written into
   * the array since: the check is one comparison per row.
   */
  static of(cells: readonly CellValue[]): CellDictionary {
    const cached = known.get(cells);
    if (cached !== undefined && cached.describes(cells)) return cached;
    const dict = CellDictionary.build(cells);
    known.set(cells, dict);
    return dict;
  }

  /**
   * A categorical column is a dictionary already: its levels are the values
   * and its codes are used as they are. Everything a dictionary caches is
   * about its values, so the one kept per column needs only a check that the
   * levels are still the same strings (one comparison per level, not per row).
   */
  static ofCategorical(col: CategoricalColumn): CellDictionary {
    const cached = knownColumns.get(col);
    if (cached !== undefined && cached.codes === col.codes && sameValues(cached.values, col.levels)) return cached;
    const dict = new CellDictionary(col.levels.slice(), col.codes);
    knownColumns.set(col, dict);
    return dict;
  }

  private static build(cells: readonly CellValue[]): CellDictionary {
    const n = cells.length;
    const codes = new Int32Array(n);
    const values: CellValue[] = [];
    const index = new Map<CellValue | symbol, number>();
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      const key = c === 0 && 1 / c < 0 ? NEGATIVE_ZERO : c;
      let k = index.get(key);
      if (k === undefined) {
        k = values.length;
        index.set(key, k);
        values.push(c);
      }
      codes[i] = k;
    }
    return new CellDictionary(values, codes);
  }

  private describes(cells: readonly CellValue[]): boolean {
    const { values, codes } = this;
    const n = cells.length;
    if (codes.length !== n) return false;
    for (let i = 0; i < n; i++) {
      if (!sameCell(cells[i], values[codes[i] as number])) return false;
    }
    return true;
  }

  /** cellStatus of each distinct value. */
  statuses(): Uint8Array {
    if (this.statusCache === undefined) this.statusCache = Uint8Array.from(this.values, (c): CellStatus => cellStatus(c));
    return this.statusCache;
  }

  /** 1 where a distinct value is missing (isMissingCell), else 0. */
  missing(): Uint8Array {
    if (this.missingCache === undefined) this.missingCache = Uint8Array.from(this.values, (c) => (isMissingCell(c) ? 1 : 0));
    return this.missingCache;
  }

  /** Index of the first row whose code is flagged in `flags`, at or after `from`; -1 if none. */
  nextFlagged(flags: Uint8Array, from: number): number {
    const codes = this.codes;
    for (let i = from; i < codes.length; i++) if (flags[codes[i] as number] !== 0) return i;
    return -1;
  }
}

function sameValues(a: readonly CellValue[], b: readonly CellValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!sameCell(a[k], b[k])) return false;
  return true;
}

const known = new WeakMap<readonly CellValue[], CellDictionary>();
const knownColumns = new WeakMap<CategoricalColumn, CellDictionary>();
