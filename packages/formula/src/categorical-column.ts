import { GlmmInputError } from '@glmm/core';

/**
 * A text column stored the way a model frame wants it: one code per row into
 * the column's distinct texts. The CSV reader gives every text column this
 * way, so that no fit has to work out (or re-check) a dictionary of a million
 * cells. Texts that R reads as missing ("", "NA", "NaN") are entries like
 * any other and mark their rows as missing; keeping each distinct text (""
 * apart from "NA") lets the exclusion report quote the cell as it was.
 *
 * The column is read-only: its levels are frozen, and model frames may share
 * `codes` as their level indices instead of copying them.
 */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  /** levels[codes[i]] is row i's text. */
  readonly codes: Int32Array;
  /** Distinct texts (the CSV reader lists them in order of first appearance). */
  readonly levels: readonly string[];
}

export function isCategoricalColumn(col: unknown): col is CategoricalColumn {
  if (col === null || typeof col !== 'object') return false;
  const c = col as Partial<CategoricalColumn>;
  return c.kind === 'categorical' && c.codes instanceof Int32Array && Array.isArray(c.levels);
}

/**
 * A categorical column from codes and levels (the levels are copied and
 * frozen; the codes are taken as they are and must stay unchanged).
 */
export function categoricalColumn(codes: Int32Array, levels: readonly string[]): CategoricalColumn {
  const frozen = Object.freeze(levels.slice());
  const bad = firstInvalidCode(codes, frozen.length);
  if (bad >= 0) throw new GlmmInputError(`categorical column: ${invalidCode(codes, frozen.length, bad)}`);
  return Object.freeze({ kind: 'categorical', codes, levels: frozen });
}

/** The column as one text per row (what a cell array of the same data holds). */
export function categoricalCells(col: CategoricalColumn): string[] {
  const { codes, levels } = col;
  const cells = new Array<string>(codes.length);
  for (let i = 0; i < codes.length; i++) cells[i] = levels[codes[i] as number] as string;
  return cells;
}

/** First row whose code is not an index into `count` levels, or -1. */
export function firstInvalidCode(codes: Int32Array, count: number): number {
  if (count > 0 && codeSignBits(codes, count - 1) >= 0) return -1;
  // Only a column with a bad code gets here: find the row.
  for (let i = 0; i < codes.length; i++) {
    // One unsigned comparison also catches negative codes.
    if ((codes[i] as number) >>> 0 >= count) return i;
  }
  return -1;
}

/**
 * The OR of c and (max - c) over all codes: negative exactly when some code
 * is below 0 or above max (both terms are non-negative int32 otherwise).
 * Without a branch per code, and four codes per step (the loop's own
 * overhead is most of the cost), a clean column is checked twice as fast.
 */
function codeSignBits(codes: Int32Array, max: number): number {
  const n = codes.length;
  const m = n - (n % 4);
  let bits = blockSignBits(codes, max, m);
  for (let i = m; i < n; i++) bits |= (codes[i] as number) | (max - (codes[i] as number));
  return bits;
}

/**
 * codeSignBits over codes[0 .. m), m a multiple of 4. The loop is all the
 * function holds: code after a long loop that V8 compiles on the stack runs
 * without type feedback and would deoptimise.
 */
function blockSignBits(codes: Int32Array, max: number, m: number): number {
  let bits = 0;
  for (let i = 0; i < m; i += 4) {
    const c0 = codes[i] as number;
    const c1 = codes[i + 1] as number;
    const c2 = codes[i + 2] as number;
    const c3 = codes[i + 3] as number;
    bits |= c0 | c1 | c2 | c3 | (max - c0) | (max - c1) | (max - c2) | (max - c3);
  }
  return bits;
}

/** What is wrong with the code at `row`, for an error message. */
export function invalidCode(codes: Int32Array, count: number, row: number): string {
  return `code ${codes[row]} at row ${row + 1} is not one of the ${count} levels (codes must be 0..${count - 1})`;
}
