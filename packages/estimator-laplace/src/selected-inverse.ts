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
 * The dense tail needs no special case for correctness: BlockCholesky
 * scatters the factored tail back into the block layout, so `values` always
 * holds L block-wise.  With scalar nodes it is still gathered and inverted as
 * one dense matrix, and the sparse columns read Z on the tail from that copy,
 * without the scatter map: the same arithmetic at a fraction of the indexing.
 */
/**
 * Largest dense tail inverted as one matrix (two m x m arrays, 2 x 18 MB
 * here); beyond it the tail runs through the block recurrence, in place.
 */
const MAX_DENSE_TAIL = 1500;

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
  /** First node of the dense tail handled as one matrix (nNodes when none: block nodes, or a tail too large). */
  private readonly tailStart: number;
  /** The tail's L and Z (m x m, column-major; Z with both triangles) and a work column. */
  private readonly tailL: Float64Array;
  private readonly tailZ: Float64Array;
  private readonly tailY: Float64Array;

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
    const m = nNodes - pattern.denseStart;
    this.tailStart = this.allScalar && m > 0 && m <= MAX_DENSE_TAIL ? pattern.denseStart : nNodes;
    const mt = nNodes - this.tailStart;
    this.tailL = new Float64Array(mt * mt);
    this.tailZ = new Float64Array(mt * mt);
    this.tailY = new Float64Array(mt);
  }

  /** Computes the selected inverse from the factor's values (the layout of `pattern`); returns `this.values`. */
  compute(L: Float64Array): Float64Array {
    if (this.allScalar) this.computeScalar(L);
    else this.computeBlocks(L);
    return this.values;
  }

  /**
   * All nodes 1 x 1 (scalar random-effects terms): the recurrence on numbers.
   * Column j's entries are L[d_j], then its off-diagonal ones in row order
   * at d_j + 1, d_j + 2, ... (the scalar layout), so they are indexed directly.
   */
  private computeScalar(L: Float64Array): void {
    const { nNodes, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const Z = this.values;
    const pos = this.pos;
    const Y = this.y;
    const K = this.tailStart;
    const mt = nNodes - K;
    const Zt = this.tailZ;
    if (K < nNodes) this.denseTail(L);
    for (let j = K - 1; j >= 0; j--) {
      const b0 = colPtr[j]!;
      const m = colPtr[j + 1]! - b0;
      const lo = diagOffset[j]! + 1;
      // Rows f.. of the column lie in the dense tail, where Z is read from the dense copy.
      let f = 0;
      while (f < m && rowIdx[b0 + f]! < K) f++;
      Y.fill(0, 0, m);
      for (let t2 = 0; t2 < f; t2++) {
        const k = rowIdx[b0 + t2]!;
        const lkj = L[lo + t2]!;
        let yk = Y[t2]! + Z[diagOffset[k]!]! * lkj;
        if (t2 + 1 < m) {
          for (let bb = colPtr[k]!; bb < colPtr[k + 1]!; bb++) pos[rowIdx[bb]!] = blockOffset[bb]!;
          for (let t1 = t2 + 1; t1 < m; t1++) {
            const zik = Z[pos[rowIdx[b0 + t1]!]!]!;
            Y[t1]! += zik * lkj;
            yk += zik * L[lo + t1]!;
          }
        }
        Y[t2] = yk;
      }
      for (let t2 = f; t2 < m; t2++) {
        const ck = rowIdx[b0 + t2]! - K;
        const lkj = L[lo + t2]!;
        const zo = ck * mt - K;
        let yk = Y[t2]! + Zt[zo + K + ck]! * lkj;
        for (let t1 = t2 + 1; t1 < m; t1++) {
          const zik = Zt[zo + rowIdx[b0 + t1]!]!;
          Y[t1]! += zik * lkj;
          yk += zik * L[lo + t1]!;
        }
        Y[t2] = yk;
      }
      const inv = 1 / L[lo - 1]!;
      let d = 1;
      for (let t = 0; t < m; t++) {
        d += Y[t]! * L[lo + t]!;
        Z[lo + t] = -Y[t]! * inv;
      }
      Z[lo - 1] = d * inv * inv;
    }
  }

  /**
   * The dense tail of a scalar pattern: its part of L gathered into one
   * matrix, the recurrence run there on contiguous columns (the tail is
   * nearly full, so skipping its few structural zeros would not pay), and
   * the result scattered back into the block layout.  Z on the tail is
   * (L_TT L_TT')^{-1}, since L^{-1} is lower triangular.
   */
  private denseTail(L: Float64Array): void {
    const { nNodes, colPtr, rowIdx, diagOffset } = this.pattern;
    const K = this.tailStart;
    const m = nNodes - K;
    const Lt = this.tailL.fill(0);
    const Zt = this.tailZ;
    const y = this.tailY;
    for (let j = K; j < nNodes; j++) {
      const c = (j - K) * m - K;
      const lo = diagOffset[j]! + 1;
      Lt[c + j] = L[lo - 1]!;
      for (let b = colPtr[j]!, t = 0; b < colPtr[j + 1]!; b++, t++) Lt[c + rowIdx[b]!] = L[lo + t]!;
    }
    for (let j = m - 1; j >= 0; j--) {
      const lc = j * m;
      y.fill(0, j + 1, m);
      // y = Z[S, S] L[S, j] with S = j+1..m-1, as saxpys down Z's (symmetric, full) columns.
      for (let k = j + 1; k < m; k++) {
        const lkj = Lt[lc + k]!;
        if (lkj === 0) continue;
        const zc = k * m;
        for (let i = j + 1; i < m; i++) y[i]! += Zt[zc + i]! * lkj;
      }
      const inv = 1 / Lt[lc + j]!;
      let d = 1;
      for (let i = j + 1; i < m; i++) {
        d += y[i]! * Lt[lc + i]!;
        const v = -y[i]! * inv;
        Zt[lc + i] = v;
        Zt[i * m + j] = v;
      }
      Zt[lc + j] = d * inv * inv;
    }
    const Z = this.values;
    for (let j = K; j < nNodes; j++) {
      const c = (j - K) * m - K;
      const lo = diagOffset[j]! + 1;
      Z[lo - 1] = Zt[c + j]!;
      for (let b = colPtr[j]!, t = 0; b < colPtr[j + 1]!; b++, t++) Z[lo + t] = Zt[c + rowIdx[b]!]!;
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
