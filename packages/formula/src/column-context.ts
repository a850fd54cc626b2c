import { GlmmInputError } from '@glmm/core';
import { CELL_MISSING, CELL_NON_FINITE, CELL_OK, cellNumber, cellStatus, formatRNumber, isMissingCell, numberStatus } from './cell.js';
import { columnKind, firstTextCell, isLogicalColumn, type ColumnKind } from './column-kind.js';
import type { ColumnData, DataTable } from './data-table.js';
import type { RowCheck } from './exclusions.js';
import { factorCodes, type FactorCodes } from './factor.js';

function listColumns(names: readonly string[]): string {
  const shown = names.slice(0, 30).join(', ');
  return names.length > 30 ? `${shown}, ... (${names.length} in all)` : shown || '(none)';
}

/** Typed, cached access to the columns of a table as the model frame needs them. */
export class ColumnContext {
  private readonly kinds = new Map<string, ColumnKind>();
  private readonly numeric = new Map<string, Float64Array>();
  private readonly factors = new Map<string, FactorCodes>();
  private readonly forced: ReadonlySet<string>;

  constructor(
    readonly table: DataTable,
    categorical: readonly string[] = [],
  ) {
    for (const name of categorical) this.column(name, 'the categorical option');
    this.forced = new Set(categorical);
  }

  column(name: string, role = 'the formula'): ColumnData {
    const col = this.table.columns[name];
    if (col === undefined || !this.table.names.includes(name)) {
      throw new GlmmInputError(`unknown column "${name}" in ${role}; available columns: ${listColumns(this.table.names)}`);
    }
    return col;
  }

  kind(name: string): ColumnKind {
    let k = this.kinds.get(name);
    if (k === undefined) {
      k = this.forced.has(name) ? 'categorical' : columnKind(this.column(name));
      this.kinds.set(name, k);
    }
    return k;
  }

  isLogical(name: string): boolean {
    return isLogicalColumn(this.column(name));
  }

  /** Throws unless the column can be read as numbers. */
  requireNumeric(name: string, role: string): void {
    const col = this.column(name, role);
    if (this.kind(name) === 'numeric') return;
    const example = firstTextCell(col);
    const why = this.forced.has(name)
      ? 'it is listed as categorical'
      : `it holds text such as "${example ?? ''}"`;
    throw new GlmmInputError(`column "${name}" used as ${role} is categorical (${why}) in ${this.table.nrows} rows; ${role} must be numeric`);
  }

  /** Numeric values of every row (NaN where missing or not numeric). */
  numericValues(name: string): Float64Array {
    let v = this.numeric.get(name);
    if (v === undefined) {
      const col = this.column(name);
      if (col instanceof Float64Array) v = col;
      else if (this.isLogical(name)) {
        v = new Float64Array(col.length);
        for (let i = 0; i < col.length; i++) {
          const c = col[i];
          v[i] = isMissingCell(c) ? Number.NaN : c === true || c === 'TRUE' || c === 'true' ? 1 : 0;
        }
      } else {
        v = new Float64Array(col.length);
        for (let i = 0; i < col.length; i++) v[i] = cellNumber(col[i]);
      }
      this.numeric.set(name, v);
    }
    return v;
  }

  numericCheck(name: string): RowCheck {
    const col = this.column(name);
    if (col instanceof Float64Array) {
      return { column: name, status: (i) => numberStatus(col[i] as number), text: (i) => (Number.isNaN(col[i] as number) ? undefined : formatRNumber(col[i] as number)) };
    }
    if (this.isLogical(name)) {
      return { column: name, status: (i) => (isMissingCell(col[i]) ? CELL_MISSING : CELL_OK), text: (i) => cellText(col[i]) };
    }
    return { column: name, status: (i) => cellStatus(col[i]), text: (i) => cellText(col[i]) };
  }

  categoricalCheck(name: string): RowCheck {
    const col = this.column(name);
    if (col instanceof Float64Array) {
      return { column: name, status: (i) => (Number.isNaN(col[i] as number) ? CELL_MISSING : CELL_OK), text: () => undefined };
    }
    return { column: name, status: (i) => (isMissingCell(col[i]) ? CELL_MISSING : CELL_OK), text: (i) => cellText(col[i]) };
  }

  /** A derived numeric expression: rows whose inputs passed but whose value is not finite. */
  static derivedCheck(label: string, values: Float64Array): RowCheck {
    return {
      column: label,
      status: (i) => (Number.isFinite(values[i] as number) ? CELL_OK : CELL_NON_FINITE),
      text: (i) => String(values[i]),
    };
  }

  factor(name: string, rows: Int32Array): FactorCodes {
    let f = this.factors.get(name);
    if (f === undefined) {
      f = factorCodes(this.column(name), rows);
      this.factors.set(name, f);
    }
    return f;
  }
}

function cellText(c: unknown): string {
  return c === undefined ? 'undefined' : c === null ? 'null' : String(c);
}
