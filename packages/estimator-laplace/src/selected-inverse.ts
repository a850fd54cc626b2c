import type { BlockPattern } from '@glmm/linalg';

/**
 * The selected inverse of M = L L': the entries of Z = M^{-1} on the block
 * pattern of L (every diagonal block and every stored off-diagonal block),
 * by Takahashi's recurrence (Takahashi, Fagan & Chin 1973; Erisman & Tinney
 * 1975), in the same block layout as the factor's `values`.
 *
 * From Z L = L^{-T}, which is upper triangular, column block j of that
 * identity reads, with S = the row nodes of column j of L (all > j),
 *
 *   Z_ij L_jj + sum_{k in S} Z_ik L_kj = 0          for i in S,
 *   Z_jj L_jj + sum_{k in S} Z_jk L_kj = L_jj^{-T},
 *
 * so with Y_i = sum_{k in S} Z_ik L_kj,
 *
 *   Z_ij = -Y_i L_jj^{-1},   Z_jj = L_jj^{-T} (I + sum_{i in S} Y_i' L_ij) L_jj^{-1}.
 *
 * Every Z_ik with i, k in S lies on the pattern (S is a clique of the filled
 * graph: S minus its first node is inside the pattern of that node's column),
 * so sweeping the columns from the last to the first needs nothing outside
 * the pattern.  The work is that of one numeric factorisation: the same
 * pairs of blocks per column, found through the same kind of scatter map.
 *
 * The dense tail needs no special case: BlockCholesky scatters the factored
 * tail back into the block layout, so `values` always holds L block-wise.
 */
export class SelectedInverse {
  /** Z = M^{-1} on the pattern: diagonal blocks full (symmetric), off-diagonal block (i, j) = Z_ij, i > j. */
  readonly values: Float64Array;
  /** Block offset of each row node in the column being scattered. */
  private readonly pos: Int32Array;
  /** Y_i of one column, laid out as that column's blocks (s_i x s_j each, contiguous). */
  private readonly y: Float64Array;
  private readonly linv: Float64Array;
  private readonly tmp: Float64Array;
  private readonly tmp2: Float64Array;
  /** End (exclusive) of each column's blocks in the values array. */
  private readonly colEnd: Int32Array;
  /** Whether every node is scalar, which takes a loop without block products. */
  private readonly allScalar: boolean;

  constructor(readonly pattern: BlockPattern) {
    const { nNodes, sizes, diagOffset, nValues } = pattern;
    this.values = new Float64Array(nValues);
    this.pos = new Int32Array(nNodes);
    this.colEnd = new Int32Array(nNodes);
    let maxCol = 0;
    let maxS = 1;
    for (let j = 0; j < nNodes; j++) {
      const sj = sizes[j]!;
      const end = j + 1 < nNodes ? diagOffset[j + 1]! : nValues;
      this.colEnd[j] = end;
      maxCol = Math.max(maxCol, end - diagOffset[j]! - sj * sj);
      maxS = Math.max(maxS, sj);
    }
    this.y = new Float64Array(maxCol);
    this.linv = new Float64Array(maxS * maxS);
    this.tmp = new Float64Array(maxS * maxS);
    this.tmp2 = new Float64Array(maxS * maxS);
    this.allScalar = sizes.every((s) => s === 1);
  }

  /** Computes the selected inverse from the factor's values (the layout of `pattern`); returns `this.values`. */
  compute(L: Float64Array): Float64Array {
    if (this.allScalar) this.computeScalar(L);
    else this.computeBlocks(L);
    return this.values;
  }

  /** All nodes 1 x 1 (scalar random-effects terms): the recurrence on numbers. */
  private computeScalar(L: Float64Array): void {
    const { nNodes, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const Z = this.values;
    const pos = this.pos;
    const Y = this.y;
    for (let j = nNodes - 1; j >= 0; j--) {
      const b0 = colPtr[j]!;
      const b1 = colPtr[j + 1]!;
      const m = b1 - b0;
      Y.fill(0, 0, m);
      for (let t2 = 0; t2 < m; t2++) {
        const k = rowIdx[b0 + t2]!;
        const lkj = L[blockOffset[b0 + t2]!]!;
        let yk = Y[t2]! + Z[diagOffset[k]!]! * lkj;
        if (t2 + 1 < m) {
          for (let bb = colPtr[k]!; bb < colPtr[k + 1]!; bb++) pos[rowIdx[bb]!] = blockOffset[bb]!;
          for (let t1 = t2 + 1; t1 < m; t1++) {
            const zik = Z[pos[rowIdx[b0 + t1]!]!]!;
            Y[t1]! += zik * lkj;
            yk += zik * L[blockOffset[b0 + t1]!]!;
          }
        }
        Y[t2] = yk;
      }
      const inv = 1 / L[diagOffset[j]!]!;
      let d = 1;
      for (let t = 0; t < m; t++) {
        const o = blockOffset[b0 + t]!;
        d += Y[t]! * L[o]!;
        Z[o] = -Y[t]! * inv;
      }
      Z[diagOffset[j]!] = d * inv * inv;
    }
  }

  /** General node sizes (slopes, a fixed-effects node): the same recurrence on blocks. */
  private computeBlocks(L: Float64Array): void {
    const { nNodes, sizes, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const Z = this.values;
    const pos = this.pos;
    const Y = this.y;
    const Li = this.linv;
    const T = this.tmp;
    const T2 = this.tmp2;
    for (let j = nNodes - 1; j >= 0; j--) {
      const sj = sizes[j]!;
      const dj = diagOffset[j]!;
      const base = dj + sj * sj;
      const b0 = colPtr[j]!;
      const b1 = colPtr[j + 1]!;
      Y.fill(0, 0, this.colEnd[j]! - base);
      for (let t2 = b0; t2 < b1; t2++) {
        const k = rowIdx[t2]!;
        const sk = sizes[k]!;
        const lkj = blockOffset[t2]!;
        const yk = lkj - base;
        // Y_k += Z_kk L_kj (Z_kk s_k x s_k, full).
        const dk = diagOffset[k]!;
        for (let c = 0; c < sj; c++)
          for (let r = 0; r < sk; r++) {
            let s = 0;
            for (let m = 0; m < sk; m++) s += Z[dk + m * sk + r]! * L[lkj + c * sk + m]!;
            Y[yk + c * sk + r]! += s;
          }
        if (t2 + 1 < b1) for (let bb = colPtr[k]!; bb < colPtr[k + 1]!; bb++) pos[rowIdx[bb]!] = blockOffset[bb]!;
        for (let t1 = t2 + 1; t1 < b1; t1++) {
          const i = rowIdx[t1]!;
          const si = sizes[i]!;
          const zik = pos[i]!; // Z_ik, s_i x s_k
          const lij = blockOffset[t1]!;
          const yi = lij - base;
          // Y_i += Z_ik L_kj;  Y_k += Z_ik' L_ij.
          for (let c = 0; c < sj; c++) {
            for (let r = 0; r < si; r++) {
              let s = 0;
              for (let m = 0; m < sk; m++) s += Z[zik + m * si + r]! * L[lkj + c * sk + m]!;
              Y[yi + c * si + r]! += s;
            }
            for (let r = 0; r < sk; r++) {
              let s = 0;
              for (let m = 0; m < si; m++) s += Z[zik + r * si + m]! * L[lij + c * si + m]!;
              Y[yk + c * sk + r]! += s;
            }
          }
        }
      }
      lowerInverse(L, dj, sj, Li);
      // T = I + sum_i Y_i' L_ij (s_j x s_j).
      T.fill(0, 0, sj * sj);
      for (let c = 0; c < sj; c++) T[c * sj + c] = 1;
      for (let t = b0; t < b1; t++) {
        const si = sizes[rowIdx[t]!]!;
        const o = blockOffset[t]!;
        const yo = o - base;
        for (let c = 0; c < sj; c++)
          for (let r = 0; r < sj; r++) {
            let s = 0;
            for (let m = 0; m < si; m++) s += Y[yo + r * si + m]! * L[o + c * si + m]!;
            T[c * sj + r]! += s;
          }
        // Z_ij = -Y_i L_jj^{-1} (L_jj^{-1} lower, so column c only sees rows m >= c).
        for (let c = 0; c < sj; c++)
          for (let r = 0; r < si; r++) {
            let s = 0;
            for (let m = c; m < sj; m++) s += Y[yo + m * si + r]! * Li[c * sj + m]!;
            Z[o + c * si + r] = -s;
          }
      }
      // Z_jj = L_jj^{-T} T L_jj^{-1}: T2 = T L^{-1}, then L^{-T} T2.
      for (let c = 0; c < sj; c++)
        for (let r = 0; r < sj; r++) {
          let s = 0;
          for (let m = c; m < sj; m++) s += T[m * sj + r]! * Li[c * sj + m]!;
          T2[c * sj + r] = s;
        }
      for (let c = 0; c < sj; c++)
        for (let r = 0; r < sj; r++) {
          let s = 0;
          for (let m = r; m < sj; m++) s += Li[r * sj + m]! * T2[c * sj + m]!;
          Z[dj + c * sj + r] = s;
        }
      // Symmetrise: the two triangles differ only by rounding, and later columns read both.
      for (let c = 0; c < sj; c++)
        for (let r = c + 1; r < sj; r++) {
          const v = (Z[dj + c * sj + r]! + Z[dj + r * sj + c]!) / 2;
          Z[dj + c * sj + r] = v;
          Z[dj + r * sj + c] = v;
        }
    }
  }
}

/** out = L^{-1} for the s x s lower-triangular block of L at `off` (column-major, zero above the diagonal). */
function lowerInverse(L: Float64Array, off: number, s: number, out: Float64Array): void {
  out.fill(0, 0, s * s);
  for (let c = 0; c < s; c++) {
    // Column c of L^{-1}: forward substitution on e_c, reading only L's lower triangle.
    out[c * s + c] = 1 / L[off + c * s + c]!;
    for (let r = c + 1; r < s; r++) {
      let acc = 0;
      for (let m = c; m < r; m++) acc += L[off + m * s + r]! * out[c * s + m]!;
      out[c * s + r] = -acc / L[off + r * s + r]!;
    }
  }
}
