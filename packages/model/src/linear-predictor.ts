/**
 * The linear predictor and its uncertainty, row by row over column-major
 * designs: the pure numeric part of fitted(), predict() and simulate().
 */

/** A random-effects term over some rows: level index per row (-1: none) and the k value columns. */
export interface TermRows {
  readonly index: Int32Array;
  readonly columns: readonly Float64Array[];
}

/** offset + X beta, summed column by column (the estimators' order). */
export function fixedPart(X: Float64Array, n: number, beta: Float64Array, offset: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  out.set(offset.length === n ? offset : new Float64Array(n));
  for (let j = 0; j < beta.length; j++) {
    const bj = beta[j]!;
    const base = j * n;
    for (let i = 0; i < n; i++) out[i]! += X[base + i]! * bj;
  }
  return out;
}

/** out += Z b for one term: row i gets sum_c column_c[i] b[index[i] k + c], nothing where index is -1. */
export function addTerm(term: TermRows, b: Float64Array, out: Float64Array): Float64Array {
  const k = term.columns.length;
  const idx = term.index;
  for (let c = 0; c < k; c++) {
    const col = term.columns[c]!;
    for (let i = 0; i < idx.length; i++) {
      const l = idx[i]!;
      if (l >= 0) out[i]! += col[i]! * b[l * k + c]!;
    }
  }
  return out;
}

/** x_i' V x_i for every row: the variance of the fixed part (V column-major p x p). */
export function fixedVariance(X: Float64Array, n: number, p: number, V: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  out.fill(0);
  // Column pairs outside the row loop: p^2 / 2 passes over contiguous columns.
  for (let a = 0; a < p; a++) {
    const xa = X.subarray(a * n, (a + 1) * n);
    const vaa = V[a * p + a]!;
    for (let i = 0; i < n; i++) out[i]! += vaa * xa[i]! * xa[i]!;
    for (let b = a + 1; b < p; b++) {
      const xb = X.subarray(b * n, (b + 1) * n);
      const v2 = 2 * V[b * p + a]!;
      if (v2 === 0) continue;
      for (let i = 0; i < n; i++) out[i]! += v2 * xa[i]! * xb[i]!;
    }
  }
  // Rounding can leave a tiny negative where the true value is 0.
  for (let i = 0; i < n; i++) if (out[i]! < 0) out[i] = 0;
  return out;
}

/** out[i] += z_i' Sigma z_i for the rows where `where[i]` is set (Sigma column-major k x k). */
export function addTermVariance(term: TermRows, sigma: Float64Array, where: (i: number) => boolean, out: Float64Array): Float64Array {
  const k = term.columns.length;
  const n = term.index.length;
  for (let i = 0; i < n; i++) {
    if (!where(i)) continue;
    let s = 0;
    for (let a = 0; a < k; a++) {
      const za = term.columns[a]![i]!;
      for (let b = 0; b < k; b++) s += za * sigma[b * k + a]! * term.columns[b]![i]!;
    }
    out[i]! += Math.max(s, 0);
  }
  return out;
}
