import type { RandomTerm } from '@glmm/core';

/** A sparse matrix in compressed sparse column form. */
export interface SparseMatrixCSC {
  readonly rows: number;
  readonly columns: number;
  /** columnPointers[j] .. columnPointers[j + 1] index the entries of column j. */
  readonly columnPointers: Int32Array;
  readonly rowIndices: Int32Array;
  readonly values: Float64Array;
}

/** X dense and Z sparse: the design of the rows the model was fitted to. */
export interface DesignMatrices {
  readonly n: number;
  readonly p: number;
  /** Column-major n x p. */
  readonly X: Float64Array;
  readonly fixedNames: readonly string[];
  /** n x q, columns term by term, within a term level by level and the term's columns within a level (lme4's order). */
  readonly Z: SparseMatrixCSC;
  /** What each column of Z is. */
  readonly zColumns: readonly { readonly group: string; readonly level: string; readonly column: string }[];
}

/**
 * Z in CSC form, one structural entry per row and term column (the rows of
 * a level, ascending): a counting sort by level, never a dense n x q array.
 */
export function sparseZ(terms: readonly RandomTerm[], n: number): Pick<DesignMatrices, 'Z' | 'zColumns'> {
  let q = 0;
  let nnz = 0;
  for (const t of terms) {
    q += t.levels.length * t.columns.length;
    nnz += n * t.columns.length;
  }
  const columnPointers = new Int32Array(q + 1);
  const rowIndices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const zColumns: { group: string; level: string; column: string }[] = [];
  let col = 0;
  let at = 0;
  for (const t of terms) {
    const L = t.levels.length;
    const k = t.columns.length;
    // Rows of each level, ascending: counts, then starts, then a stable fill.
    const start = new Int32Array(L + 1);
    for (let i = 0; i < n; i++) start[t.index[i]! + 1]!++;
    for (let l = 0; l < L; l++) start[l + 1]! += start[l]!;
    const next = start.slice(0, L);
    const byLevel = new Int32Array(n);
    for (let i = 0; i < n; i++) byLevel[next[t.index[i]!]!++] = i;
    for (let l = 0; l < L; l++) {
      for (let c = 0; c < k; c++) {
        columnPointers[col] = at;
        const values_c = t.columns[c]!;
        for (let m = start[l]!; m < start[l + 1]!; m++) {
          const r = byLevel[m]!;
          rowIndices[at] = r;
          values[at] = values_c[r]!;
          at++;
        }
        zColumns.push({ group: t.group, level: t.levels[l]!, column: t.columnNames[c]! });
        col++;
      }
    }
  }
  columnPointers[q] = at;
  return { Z: { rows: n, columns: q, columnPointers, rowIndices, values }, zColumns };
}
