import type { BlockPattern } from './block-pattern.js';
import { backwardSolve, choleskyInPlace, forwardSolve } from './dense.js';

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

  constructor(readonly pattern: BlockPattern) {
    this.values = new Float64Array(pattern.nValues);
    this.scatter = new Int32Array(pattern.nNodes).fill(-1);
  }

  get dimension(): number {
    return this.pattern.nodeStart[this.pattern.nNodes]!;
  }

  /** Factors in place; returns the first node whose pivot block is not positive definite, or -1. */
  factor(): number {
    const { nNodes, sizes, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const v = this.values;
    const pos = this.scatter;
    for (let j = 0; j < nNodes; j++) {
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
    return -1;
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
   * whose nonzeros lie on j's elimination-tree path.  Returned concatenated,
   * node j's s_j x s_j block at diagOffset-like positions (cumulative s_j^2).
   */
  inverseDiagonalBlocks(upto: number): Float64Array {
    const { sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset, parent } = this.pattern;
    const v = this.values;
    let total = 0;
    for (let j = 0; j < upto; j++) total += sizes[j]! * sizes[j]!;
    const out = new Float64Array(total);
    const dim = nodeStart[upto]!;
    const work: Float64Array[] = [];
    let outOff = 0;
    for (let j = 0; j < upto; j++) {
      const sj = sizes[j]!;
      while (work.length < sj) work.push(new Float64Array(dim));
      for (let c = 0; c < sj; c++) work[c]![nodeStart[j]! + c] = 1;
      for (let m = j; m >= 0 && m < upto; m = parent[m]!) {
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
      for (let m = j; m >= 0 && m < upto; m = parent[m]!) {
        const xm = nodeStart[m]!;
        for (let c = 0; c < sj; c++) work[c]!.fill(0, xm, xm + sizes[m]!);
      }
      outOff += sj * sj;
    }
    return out;
  }
}
