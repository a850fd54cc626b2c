import type { BlockPattern } from './block-pattern.js';
import { backwardSolve, choleskyInPlace, forwardSolve, leadingInverse } from './dense.js';

/**
 * Numeric block-sparse Cholesky factor on a fixed symbolic pattern.
 * The caller writes the lower blocks of the matrix into `values` (in the
 * pattern's layout, zeros at fill positions) and calls `factor()`, which
 * overwrites them with L.  Right-looking: each factored column updates the
 * blocks its pattern pairs touch, found through a scatter map.
 */
export class BlockCholesky {
  readonly values: Float64Array;
  private readonly scatter: Int32Array;
  /** The dense tail (nodes denseStart..) as one column-major matrix, when there is one. */
  private readonly tail: Float64Array;
  private readonly tailStart: number;
  private readonly tailDim: number;

  constructor(readonly pattern: BlockPattern) {
    this.values = new Float64Array(pattern.nValues);
    this.scatter = new Int32Array(pattern.nNodes).fill(-1);
    this.tailStart = pattern.nodeStart[pattern.denseStart]!;
    this.tailDim = pattern.nodeStart[pattern.nNodes]! - this.tailStart;
    this.tail = new Float64Array(pattern.denseStart < pattern.nNodes ? this.tailDim * this.tailDim : 0);
    this.scalarNodes = pattern.sizes.every((s) => s === 1);
    let longest = 0;
    for (let j = 0; j < pattern.nNodes; j++) longest = Math.max(longest, pattern.colPtr[j + 1]! - pattern.colPtr[j]!);
    this.gatherPos = new Int32Array(longest);
    this.gatherVal = new Float64Array(longest);
  }

  private readonly scalarNodes: boolean;
  private readonly gatherPos: Int32Array;
  private readonly gatherVal: Float64Array;

  get dimension(): number {
    return this.pattern.nodeStart[this.pattern.nNodes]!;
  }

  /** Factors in place; returns the first node whose pivot block is not positive definite, or -1. */
  factor(): number {
    const { nNodes, sizes, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const v = this.values;
    const pos = this.scatter;
    const K = this.pattern.denseStart;
    if (K < nNodes) this.moveTail(true);
    for (let j = 0; j < K; j++) {
      const sj = sizes[j]!;
      const dj = diagOffset[j]!;
      if (!choleskyInPlace(v, sj, dj)) return j;
      const b0 = colPtr[j]!;
      const b1 = colPtr[j + 1]!;
      // B := B L_jj^{-T}, row by row (each row r solves L_jj x = B[r, :]').
      for (let b = b0; b < b1; b++) {
        const si = sizes[rowIdx[b]!]!;
        const off = blockOffset[b]!;
        if (sj === 1) {
          const d = v[dj]!;
          for (let r = 0; r < si; r++) v[off + r]! /= d;
        } else {
          for (let r = 0; r < si; r++) {
            for (let c = 0; c < sj; c++) {
              let s = v[off + c * si + r]!;
              for (let k = 0; k < c; k++) s -= v[off + k * si + r]! * v[dj + k * sj + c]!;
              v[off + c * si + r] = s / v[dj + c * sj + c]!;
            }
          }
        }
      }
      // Schur-complement update of the later columns touched by this column.
      for (let b2 = b0; b2 < b1; b2++) {
        const i2 = rowIdx[b2]!;
        const s2 = sizes[i2]!;
        const o2 = blockOffset[b2]!;
        if (i2 >= K) {
          this.updateTail(j, b2, b1);
          break;
        }
        for (let bb = colPtr[i2]!; bb < colPtr[i2 + 1]!; bb++) pos[rowIdx[bb]!] = blockOffset[bb]!;
        for (let b1i = b2; b1i < b1; b1i++) {
          const i1 = rowIdx[b1i]!;
          const s1 = sizes[i1]!;
          const o1 = blockOffset[b1i]!;
          const target = i1 === i2 ? diagOffset[i2]! : pos[i1]!;
          if (sj === 1 && s1 === 1 && s2 === 1) {
            v[target]! -= v[o1]! * v[o2]!;
            continue;
          }
          for (let c = 0; c < s2; c++) {
            for (let r = 0; r < s1; r++) {
              let s = 0;
              for (let k = 0; k < sj; k++) s += v[o1 + k * s1 + r]! * v[o2 + k * s2 + c]!;
              v[target + c * s1 + r]! -= s;
            }
          }
        }
      }
    }
    if (K < nNodes) {
      if (!choleskyInPlace(this.tail, this.tailDim)) {
        // Report the tail node whose pivot failed.
        for (let j = K; j < nNodes; j++) {
          const d = this.pattern.nodeStart[j]! - this.tailStart;
          for (let c = 0; c < sizes[j]!; c++) if (!(this.tail[(d + c) * this.tailDim + d + c]! > 0)) return j;
        }
        return nNodes - 1;
      }
      this.moveTail(false);
    }
    return -1;
  }

  /**
   * Copies the tail's blocks into the dense matrix (gather) or the factored
   * dense matrix back into the blocks (scatter), so every other method keeps
   * reading the block layout.
   */
  private moveTail(gather: boolean): void {
    const { nNodes, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset, denseStart } = this.pattern;
    const v = this.values;
    const T = this.tail;
    const m = this.tailDim;
    const t0 = this.tailStart;
    if (gather) T.fill(0);
    for (let j = denseStart; j < nNodes; j++) {
      const sj = sizes[j]!;
      const cj = nodeStart[j]! - t0;
      const d = diagOffset[j]!;
      for (let c = 0; c < sj; c++)
        for (let r = c; r < sj; r++) {
          if (gather) T[(cj + c) * m + cj + r] = v[d + c * sj + r]!;
          else v[d + c * sj + r] = T[(cj + c) * m + cj + r]!;
        }
      if (!gather) for (let c = 0; c < sj; c++) for (let r = 0; r < c; r++) v[d + c * sj + r] = 0;
      for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        const si = sizes[i]!;
        const ci = nodeStart[i]! - t0;
        const o = blockOffset[b]!;
        for (let c = 0; c < sj; c++)
          for (let r = 0; r < si; r++) {
            if (gather) T[(cj + c) * m + ci + r] = v[o + c * si + r]!;
            else v[o + c * si + r] = T[(cj + c) * m + ci + r]!;
          }
      }
    }
  }

  /** Schur update of the dense tail by the blocks b2..b1-1 of sparse column j (all rows in the tail). */
  private updateTail(j: number, b2: number, b1: number): void {
    const { sizes, nodeStart, rowIdx, blockOffset } = this.pattern;
    const v = this.values;
    const T = this.tail;
    const m = this.tailDim;
    const t0 = this.tailStart;
    const sj = sizes[j]!;
    if (this.scalarNodes) {
      // All nodes scalar (random intercepts): gather the column once, then a
      // plain rank-one update of the dense tail.
      const cnt = b1 - b2;
      const pos = this.gatherPos;
      const val = this.gatherVal;
      for (let t = 0; t < cnt; t++) {
        pos[t] = nodeStart[rowIdx[b2 + t]!]! - t0;
        val[t] = v[blockOffset[b2 + t]!]!;
      }
      if (cnt > 0 && pos[cnt - 1]! - pos[0]! === cnt - 1) {
        // Contiguous rows (a level crossed with every level of the tail): unit-stride inner loop.
        const first = pos[0]!;
        for (let c = 0; c < cnt; c++) {
          const col = (first + c) * m + first;
          const vc = val[c]!;
          for (let r = c; r < cnt; r++) T[col + r]! -= val[r]! * vc;
        }
        return;
      }
      for (let c = 0; c < cnt; c++) {
        const col = pos[c]! * m;
        const vc = val[c]!;
        for (let r = c; r < cnt; r++) T[col + pos[r]!]! -= val[r]! * vc;
      }
      return;
    }
    for (let bc = b2; bc < b1; bc++) {
      const ic = rowIdx[bc]!;
      const sc = sizes[ic]!;
      const oc = blockOffset[bc]!;
      const cc = nodeStart[ic]! - t0;
      for (let br = bc; br < b1; br++) {
        const ir = rowIdx[br]!;
        const sr = sizes[ir]!;
        const or = blockOffset[br]!;
        const cr = nodeStart[ir]! - t0;
        if (sj === 1 && sr === 1 && sc === 1) {
          T[cc * m + cr]! -= v[or]! * v[oc]!;
          continue;
        }
        for (let c = 0; c < sc; c++)
          for (let r = 0; r < sr; r++) {
            let s = 0;
            for (let k = 0; k < sj; k++) s += v[or + k * sr + r]! * v[oc + k * sc + c]!;
            T[(cc + c) * m + cr + r]! -= s;
          }
      }
    }
  }

  /** Solves L x = b in place. */
  solveL(x: Float64Array): void {
    const { nNodes, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const v = this.values;
    for (let j = 0; j < nNodes; j++) {
      const sj = sizes[j]!;
      const xj = nodeStart[j]!;
      forwardSolve(v, sj, x, diagOffset[j]!, xj);
      for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        const si = sizes[i]!;
        const off = blockOffset[b]!;
        const xi = nodeStart[i]!;
        for (let c = 0; c < sj; c++) {
          const xc = x[xj + c]!;
          if (xc === 0) continue;
          for (let r = 0; r < si; r++) x[xi + r]! -= v[off + c * si + r]! * xc;
        }
      }
    }
  }

  /** Solves L' x = b in place. */
  solveLt(x: Float64Array): void {
    const { nNodes, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const v = this.values;
    for (let j = nNodes - 1; j >= 0; j--) {
      const sj = sizes[j]!;
      const xj = nodeStart[j]!;
      for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        const si = sizes[i]!;
        const off = blockOffset[b]!;
        const xi = nodeStart[i]!;
        for (let c = 0; c < sj; c++) {
          let s = 0;
          for (let r = 0; r < si; r++) s += v[off + c * si + r]! * x[xi + r]!;
          x[xj + c]! -= s;
        }
      }
      backwardSolve(v, sj, x, diagOffset[j]!, xj);
    }
  }

  /** log det(L L') over nodes [from, to): twice the sum of log pivots. */
  logDet(from = 0, to = this.pattern.nNodes): number {
    const { sizes, diagOffset } = this.pattern;
    const v = this.values;
    let s = 0;
    for (let j = from; j < to; j++) {
      const sj = sizes[j]!;
      const d = diagOffset[j]!;
      for (let c = 0; c < sj; c++) s += Math.log(v[d + c * sj + c]!);
    }
    return 2 * s;
  }

  /**
   * Diagonal blocks of (L_11 L_11')^{-1}, where L_11 is the leading factor on
   * nodes [0, upto): block j is sum over m of X_m' X_m with X = L_11^{-1} E_j,
   * whose nonzeros lie on j's elimination-tree path.  Once the path enters the
   * dense tail, the rest of the sum is v' (L_TT L_TT')^{-1} v for the vector v
   * that entered it, with that inverse formed once.  Returned concatenated,
   * node j's s_j x s_j block after those of nodes < j.
   */
  inverseDiagonalBlocks(upto: number): Float64Array {
    const { sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset, parent, nNodes } = this.pattern;
    const v = this.values;
    const K = Math.min(this.pattern.denseStart, upto);
    const useTail = this.pattern.denseStart < nNodes && this.pattern.denseStart < upto;
    const t0 = this.tailStart;
    const mz = useTail ? nodeStart[upto]! - t0 : 0;
    const Minv = useTail ? leadingInverse(this.tail, this.tailDim, mz) : new Float64Array(0);
    let total = 0;
    for (let j = 0; j < upto; j++) total += sizes[j]! * sizes[j]!;
    const out = new Float64Array(total);
    const dim = nodeStart[upto]!;
    const work: Float64Array[] = [];
    const touched: number[] = [];
    const inTouched = new Uint8Array(useTail ? mz : 0);
    let outOff = 0;
    for (let j = 0; j < K; j++) {
      const sj = sizes[j]!;
      while (work.length < sj) work.push(new Float64Array(dim));
      for (let c = 0; c < sj; c++) work[c]![nodeStart[j]! + c] = 1;
      let m = j;
      for (; m >= 0 && m < K; m = parent[m]!) {
        const sm = sizes[m]!;
        const xm = nodeStart[m]!;
        for (let c = 0; c < sj; c++) {
          const x = work[c]!;
          forwardSolve(v, sm, x, diagOffset[m]!, xm);
          for (let b = colPtr[m]!; b < colPtr[m + 1]!; b++) {
            const i = rowIdx[b]!;
            if (i >= upto) continue;
            const si = sizes[i]!;
            const off = blockOffset[b]!;
            const xi = nodeStart[i]!;
            if (useTail && i >= K && c === 0) {
              for (let r = 0; r < si; r++) {
                const t = xi - t0 + r;
                if (!inTouched[t]) {
                  inTouched[t] = 1;
                  touched.push(t);
                }
              }
            }
            for (let cc = 0; cc < sm; cc++) {
              const xc = x[xm + cc]!;
              if (xc === 0) continue;
              for (let r = 0; r < si; r++) x[xi + r]! -= v[off + cc * si + r]! * xc;
            }
          }
        }
        for (let c1 = 0; c1 < sj; c1++)
          for (let c2 = 0; c2 < sj; c2++) {
            let s = 0;
            for (let r = 0; r < sm; r++) s += work[c1]![xm + r]! * work[c2]![xm + r]!;
            out[outOff + c2 * sj + c1]! += s;
          }
      }
      if (useTail && touched.length > 0) {
        for (let c1 = 0; c1 < sj; c1++)
          for (let c2 = 0; c2 < sj; c2++) {
            const x1 = work[c1]!;
            const x2 = work[c2]!;
            let s = 0;
            for (const a of touched) {
              const va = x1[t0 + a]!;
              if (va === 0) continue;
              for (const b of touched) s += va * Minv[b * mz + a]! * x2[t0 + b]!;
            }
            out[outOff + c2 * sj + c1]! += s;
          }
        for (const a of touched) {
          inTouched[a] = 0;
          for (let c = 0; c < sj; c++) work[c]![t0 + a] = 0;
        }
        touched.length = 0;
      }
      for (let q = j; q >= 0 && q < K; q = parent[q]!) {
        const xq = nodeStart[q]!;
        for (let c = 0; c < sj; c++) work[c]!.fill(0, xq, xq + sizes[q]!);
      }
      outOff += sj * sj;
    }
    for (let j = K; j < upto; j++) {
      const sj = sizes[j]!;
      const d = nodeStart[j]! - t0;
      for (let c1 = 0; c1 < sj; c1++)
        for (let c2 = 0; c2 < sj; c2++) out[outOff + c2 * sj + c1] = Minv[(d + c2) * mz + d + c1]!;
      outOff += sj * sj;
    }
    return out;
  }
}
