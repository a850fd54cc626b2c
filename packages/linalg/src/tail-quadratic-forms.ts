/**
 * Quadratic forms V_g' (L L')^{-1} V_g = (X V_g)' (X V_g), X = L^{-1} lower
 * triangular, for many sparse m x w_g matrices V_g at once: the part of the
 * selected inverse that sparse nodes reach through the dense tail.
 */

/** Sparse matrices V_g in compressed form, entries of each group ascending by row. */
export interface SparseColumnGroups {
  readonly nGroups: number;
  /** Entries of group g are ptr[g] .. ptr[g+1]-1. */
  readonly ptr: Int32Array;
  /** Row (tail index) of each entry. */
  readonly idx: Int32Array;
  /** Width w_g (columns of V_g). */
  readonly width: Int32Array;
  /** Values of group g's entry e, column c, at val[valStart[g] + (e - ptr[g]) * w_g + c]. */
  readonly valStart: Int32Array;
  readonly val: Float64Array;
  /** Where group g's w_g x w_g result is added in `out` (column-major). */
  readonly outStart: Int32Array;
}

/**
 * out[g] += (X V_g)' (X V_g), X the m x m column-major lower-triangular
 * matrix: each column of X V_g is a combination of the few columns of X that
 * V_g touches, accumulated four columns of X per pass over the result (the
 * loop's cost in JS is per iteration, not per multiply-add), from the row of
 * the lowest of the four down; the rows above that are done one column at a
 * time.
 */
export function addTailQuadraticForms(X: Float64Array, m: number, groups: SparseColumnGroups, out: Float64Array): void {
  const { nGroups, ptr, idx, width, valStart, val, outStart } = groups;
  let maxW = 1;
  for (let g = 0; g < nGroups; g++) maxW = Math.max(maxW, width[g]!);
  const ys: Float64Array[] = [];
  for (let c = 0; c < maxW; c++) ys.push(new Float64Array(m));
  for (let g = 0; g < nGroups; g++) {
    const e0 = ptr[g]!;
    const e1 = ptr[g + 1]!;
    if (e0 === e1) continue;
    const w = width[g]!;
    const vb = valStart[g]! - e0 * w;
    const lo = idx[e0]!;
    for (let c = 0; c < w; c++) {
      const y = ys[c]!;
      let e = e0;
      for (; e + 3 < e1; e += 4) {
        const a0 = idx[e]!;
        const a1 = idx[e + 1]!;
        const a2 = idx[e + 2]!;
        const a3 = idx[e + 3]!;
        const v0 = val[vb + e * w + c]!;
        const v1 = val[vb + (e + 1) * w + c]!;
        const v2 = val[vb + (e + 2) * w + c]!;
        const v3 = val[vb + (e + 3) * w + c]!;
        const x0 = a0 * m;
        const x1 = a1 * m;
        const x2 = a2 * m;
        const x3 = a3 * m;
        for (let i = a0; i < a3; i++) y[i]! += X[x0 + i]! * v0;
        for (let i = a1; i < a3; i++) y[i]! += X[x1 + i]! * v1;
        for (let i = a2; i < a3; i++) y[i]! += X[x2 + i]! * v2;
        for (let i = a3; i < m; i++) y[i]! += X[x0 + i]! * v0 + X[x1 + i]! * v1 + X[x2 + i]! * v2 + X[x3 + i]! * v3;
      }
      for (; e < e1; e++) {
        const a = idx[e]!;
        const va = val[vb + e * w + c]!;
        const x0 = a * m;
        for (let i = a; i < m; i++) y[i]! += X[x0 + i]! * va;
      }
    }
    const o = outStart[g]!;
    for (let c1 = 0; c1 < w; c1++)
      for (let c2 = c1; c2 < w; c2++) {
        const y1 = ys[c1]!;
        const y2 = ys[c2]!;
        let s0 = 0;
        let s1 = 0;
        let i = lo;
        for (; i + 1 < m; i += 2) {
          s0 += y1[i]! * y2[i]!;
          s1 += y1[i + 1]! * y2[i + 1]!;
        }
        if (i < m) s0 += y1[i]! * y2[i]!;
        out[o + c2 * w + c1]! += s0 + s1;
        if (c2 !== c1) out[o + c1 * w + c2]! += s0 + s1;
      }
    for (let c = 0; c < w; c++) ys[c]!.fill(0, lo);
  }
}
