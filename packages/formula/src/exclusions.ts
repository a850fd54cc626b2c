import { GlmmInputError, type ExcludedRow, type ExclusionSummary } from '@glmm/core';
import { CELL_MISSING, CELL_NON_FINITE, CELL_NON_NUMERIC, CELL_OK, type CellStatus } from './cell.js';
import { identityRows } from './constant-columns.js';

/** One column (or derived expression) every used row must pass. */
export interface RowCheck {
  readonly column: string;
  /**
   * First row at or after `from` that fails, or -1. Failures are rare, so
   * each check scans its own data in one tight loop and is asked about the
   * failing rows only.
   */
  readonly nextFailure: (from: number) => number;
  /** Status of row i (0 = usable). */
  readonly status: (i: number) => CellStatus;
  /** Text of the offending cell, for the report. */
  readonly text: (i: number) => string | undefined;
  /** The reason every failing row gets, instead of the one its status says. */
  readonly reason?: ExcludedRow['reason'];
}

const REASONS: Record<number, ExcludedRow['reason']> = {
  [CELL_MISSING]: 'missing',
  [CELL_NON_NUMERIC]: 'non-numeric',
  [CELL_NON_FINITE]: 'non-finite',
};

export interface Screening {
  /** Ascending; 0..nrows-1 exactly when nothing is excluded (then a shared, read-only array). */
  readonly usedRows: Int32Array;
  readonly excluded: ExclusionSummary;
}

/** Applies the checks in order; a row is charged to the first column it fails. */
export function screenRows(nrows: number, checks: readonly RowCheck[]): Screening {
  // Allocated at the first failure: most data sets have none.
  let keep: Uint8Array | undefined;
  const rows: ExcludedRow[] = [];
  for (const check of checks) {
    for (let i = check.nextFailure(0); i >= 0; i = check.nextFailure(i + 1)) {
      if (keep === undefined) keep = new Uint8Array(nrows).fill(1);
      else if (keep[i] === 0) continue;
      keep[i] = 0;
      const s = check.status(i);
      const value = check.text(i);
      const row: ExcludedRow = { row: i + 1, column: check.column, reason: check.reason ?? (REASONS[s] as ExcludedRow['reason']) };
      rows.push(value === undefined ? row : { ...row, value });
    }
  }
  rows.sort((a, b) => a.row - b.row);
  let usedRows: Int32Array;
  if (keep === undefined) usedRows = identityRows(nrows);
  else {
    usedRows = new Int32Array(nrows - rows.length);
    let k = 0;
    for (let i = 0; i < nrows; i++) if (keep[i] === 1) usedRows[k++] = i;
  }
  const byReason: Record<string, number> = {};
  for (const r of rows) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  return { usedRows, excluded: { count: rows.length, byReason, rows } };
}

/** "missing: 3 in column "x", non-numeric: 1 in column "y"" */
export function describeExclusions(excluded: ExclusionSummary): string {
  const counts = new Map<string, number>();
  for (const r of excluded.rows) {
    const key = r.column === '' ? `${r.reason}: \u0000` : `${r.reason}: \u0000 in column "${r.column}"`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, c]) => k.replace('\u0000', String(c))).join(', ');
}

/**
 * Rows the caller leaves out (fitglme's 'Exclude'), 1-based: checked to be
 * rows of the data, sorted and without repeats, and the row check that
 * charges them to the request.
 */
export function requestedExclusions(rows: readonly number[], nrows: number): { rows: number[]; check: RowCheck | null } {
  if (!Array.isArray(rows)) throw new GlmmInputError(`exclude must be an array of 1-based row numbers (got ${typeof rows})`);
  for (const r of rows) {
    if (!(Number.isInteger(r) && r >= 1 && r <= nrows))
      throw new GlmmInputError(`exclude lists row ${String(r)}, which is not a row of the data (rows are numbered 1 to ${nrows})`);
  }
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  if (sorted.length === 0) return { rows: sorted, check: null };
  const flagged = new Uint8Array(nrows);
  for (const r of sorted) flagged[r - 1] = 1;
  return {
    rows: sorted,
    check: {
      column: '',
      reason: 'excluded by request',
      nextFailure: (from) => {
        for (let i = from; i < nrows; i++) if (flagged[i] === 1) return i;
        return -1;
      },
      status: (i) => (flagged[i] === 1 ? CELL_MISSING : CELL_OK),
      text: () => undefined,
    },
  };
}
