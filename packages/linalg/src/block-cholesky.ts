import type { BlockPattern } from './block-pattern.js';
import { backwardSolve, choleskyInPlace, choleskyPivotFailure, forwardSolve } from './dense.js';
import { sparseSelectedInverse } from './selected-inverse.js';
import { addTailQuadraticForms, type SparseColumnGroups } from './tail-quadratic-forms.js';
import { TailSchurUpdate, type ScaledTail } from './tail-update.js';
import { spdInverseLower, spdInverseLowerJs } from './dense-inverse.js';
import { lowerTriangularInverse } from './triangular-inverse.js';

/**
 * Relative cost, per unit of work, of the two methods of
 * inverseDiagonalBlocks, against one multiply-add of the memory-bound column
 * combinations of the path method (measured: the kernel's multiply-adds run
 * about eight times faster, a scattered read of Z about three times slower).
 */
const GRAM_COST = 0.12;
const PAIR_COST = 3;

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
    const K = pattern.denseStart;
    const hasTail = K < pattern.nNodes;
    this.tailUpdate = new TailSchurUpdate(pattern);
    const tailBase = hasTail ? pattern.diagOffset[K]! : pattern.nValues;
    const { runs, uncovered } = hasTail ? this.buildTailMap(tailBase) : { runs: new Int32Array(0), uncovered: new Int32Array(0) };
    this.tailRuns = runs;
    this.tailUncovered = uncovered;
  }

  /**
   * Where the tail nodes' blocks (the values from tailBase to the end) sit in
   * the dense tail, as runs (values start, tail start, length) of consecutive
   * positions: a column of a dense tail is one run, so moving the tail is a
   * few long copies.  Also returns the lower-triangle tail positions no block
   * covers, or null when there are so many that clearing the whole tail is
   * cheaper.  Entries above the diagonal of a diagonal block go to their own
   * position in the tail's upper triangle, which the dense kernel ignores and
   * leaves zero, so scattering the factor back also zeroes them in the blocks.
   */
  private buildTailMap(base: number): { runs: Int32Array; uncovered: Int32Array | null } {
    const { nNodes, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset, denseStart } = this.pattern;
    const m = this.tailDim;
    const t0 = this.tailStart;
    const map = new Int32Array(this.pattern.nValues - base);
    const covered = new Uint8Array(m * m);
    for (let j = denseStart; j < nNodes; j++) {
      const sj = sizes[j]!;
      const cj = nodeStart[j]! - t0;
      const d = diagOffset[j]! - base;
      for (let c = 0; c < sj; c++)
        for (let r = 0; r < sj; r++) {
          const at = (cj + c) * m + cj + r;
          map[d + c * sj + r] = at;
          if (r >= c) covered[at] = 1;
        }
      for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        const si = sizes[i]!;
        const ci = nodeStart[i]! - t0;
        const o = blockOffset[b]! - base;
        for (let c = 0; c < sj; c++)
          for (let r = 0; r < si; r++) {
            const at = (cj + c) * m + ci + r;
            map[o + c * si + r] = at;
            covered[at] = 1;
          }
      }
    }
    const runs: number[] = [];
    for (let t = 0; t < map.length; ) {
      let len = 1;
      while (t + len < map.length && map[t + len] === map[t]! + len) len++;
      runs.push(base + t, map[t]!, len);
      t += len;
    }
    const clear: number[] = [];
    for (let c = 0; c < m && clear.length <= (m * m) / 8; c++)
      for (let r = c; r < m; r++) if (covered[c * m + r] === 0) clear.push(c * m + r);
    return { runs: Int32Array.from(runs), uncovered: clear.length > (m * m) / 8 ? null : Int32Array.from(clear) };
  }

  /** The sparse columns' update of the dense tail. */
  private readonly tailUpdate: TailSchurUpdate;
  /** The tail nodes' blocks in the dense tail: (values start, tail start, length) triples. */
  private readonly tailRuns: Int32Array;
  /** Lower tail positions outside every block, to clear before a gather (null: clear all). */
  private readonly tailUncovered: Int32Array | null;

  get dimension(): number {
    return this.pattern.nodeStart[this.pattern.nNodes]!;
  }

  /** Whether the pattern has a dense tail (then factorWithScaledTail and denseTailImage apply). */
  get hasDenseTail(): boolean {
    return this.pattern.denseStart < this.pattern.nNodes;
  }

  /**
   * The tail nodes' blocks of `src` (an array in the layout of `values`) as
   * one dense column-major tailDim^2 matrix, zeros where no block lies: the
   * image factorWithScaledTail rescales, for callers whose tail blocks change
   * between factorisations only by a diagonal scaling.  Written into `out`
   * when it has the right length.
   */
  denseTailImage(src: Float64Array, out?: Float64Array): Float64Array {
    // Reusing `out` (of tailDim^2) spares callers that re-accumulate often a large allocation each time.
    const image = out !== undefined && out.length === this.tail.length ? out : new Float64Array(this.tail.length);
    if (image === out) image.fill(0);
    const runs = this.tailRuns;
    for (let q = 0; q < runs.length; q += 3) {
      const vs = runs[q]!;
      image.set(src.subarray(vs, vs + runs[q + 2]!), runs[q + 1]!);
    }
    return image;
  }

  /**
   * factor(), with the dense tail written as D image D + diag(shift)
   * (D = diag(scale), per tail row, image from denseTailImage) instead of
   * gathered from the tail blocks of `values`, which are not read.  Scaling
   * while writing the tail is one contiguous pass, mostly fused with the
   * singleton updates, where scaling the blocks and gathering them were two
   * scattered ones.  Products are formed as
   * image[r, c] * scale[r] * scale[c], then the shift added, so a caller
   * scaling blocks in that order gets the same factor to the bit.
   */
  factorWithScaledTail(image: Float64Array, scale: Float64Array, shift: Float64Array): number {
    if (!this.hasDenseTail) return this.factor();
    // Columns that groups update are written now, before the sparse columns;
    // the singletons' pass in finish writes each other column just before
    // updating it, so every entry starts from the same value either way.
    const start = { image, scale, shift };
    this.tailUpdate.writeGroupColumns(this.tail, this.tailDim, start);
    return this.factorColumnsAndTail(false, start);
  }

  /** Factors in place; returns the first node whose pivot block is not positive definite, or -1. */
  factor(): number {
    return this.factorColumnsAndTail(true);
  }

  /** Whether the dense tail holds the factor of the last factorisation (solveLFresh may read it). */
  private tailFresh = false;

  /** gather: copy the tail blocks of values into the tail first; start: let finish write the tail (see there). */
  private factorColumnsAndTail(gather: boolean, start: ScaledTail | null = null): number {
    const { nNodes, sizes, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const v = this.values;
    const pos = this.scatter;
    const K = this.pattern.denseStart;
    this.tailFresh = false;
    if (K < nNodes && gather) this.moveTail(true);
    let mapOwner = -1;
    for (let j = 0; j < K; j++) {
      const sj = sizes[j]!;
      const dj = diagOffset[j]!;
      if (sj === 1) {
        // A scalar pivot (the common case) without the dense kernel's call chain.
        const d = v[dj]!;
        if (!(d > 0)) return j;
        v[dj] = Math.sqrt(d);
      } else if (!choleskyInPlace(v, sj, dj)) return j;
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
      // Rows in the dense tail are applied per tail group, below.
      const bt = this.tailUpdate.tailFirst[j]!;
      for (let b2 = b0; b2 < bt; b2++) {
        const i2 = rowIdx[b2]!;
        const s2 = sizes[i2]!;
        const o2 = blockOffset[b2]!;
        // Many columns in a row often update the same column i2 (levels
        // crossed with one long sparse column just before the tail), whose
        // map then need not be written again: it holds every row that j's
        // pattern, a subset of i2's from i2 on, can look up.
        if (mapOwner !== i2) {
          for (let bb = colPtr[i2]!; bb < colPtr[i2 + 1]!; bb++) pos[rowIdx[bb]!] = blockOffset[bb]!;
          mapOwner = i2;
        }
        for (let b1i = b2; b1i < b1; b1i++) {
          const i1 = rowIdx[b1i]!;
          const s1 = sizes[i1]!;
          const o1 = blockOffset[b1i]!;
          const target = i1 === i2 ? diagOffset[i2]! : pos[i1]!;
          if (sj === 1 && s1 === 1 && s2 === 1) {
            v[target]! -= v[o1]! * v[o2]!;
            continue;
          }
          if (sj === 1) {
            // Outer product of two block columns: no inner sum to set up per entry.
            for (let c = 0; c < s2; c++) {
              const w = v[o2 + c]!;
              if (w === 0) continue;
              const tc = target + c * s1;
              for (let r = 0; r < s1; r++) v[tc + r]! -= v[o1 + r]! * w;
            }
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
      if (K < nNodes) this.tailUpdate.afterColumn(j, v, this.tail, this.tailDim);
    }
    if (K < nNodes) {
      this.tailUpdate.finish(v, this.tail, this.tailDim, start);
      const failed = choleskyPivotFailure(this.tail, this.tailDim);
      if (failed >= 0) {
        // Report the tail node holding the failed pivot.
        const at = this.tailStart + failed;
        let j = K;
        while (j + 1 < nNodes && this.pattern.nodeStart[j + 1]! <= at) j++;
        return j;
      }
      this.moveTail(false);
      this.tailFresh = true;
    }
    return -1;
  }

  /**
   * Copies the tail's blocks into the dense matrix (gather) or the factored
   * dense matrix back into the blocks (scatter), so every other method keeps
   * reading the block layout.  The tail nodes' blocks are the end of the
   * values array, so both directions are one pass over the precomputed runs
   * (a per-block walk cost more than the copy itself).
   */
  private moveTail(gather: boolean): void {
    const v = this.values;
    const T = this.tail;
    const runs = this.tailRuns;
    if (gather) {
      // Positions no block covers are structural zeros of L, computed exactly
      // as zeros by the dense kernel only if they start as zeros.
      const clear = this.tailUncovered;
      if (clear === null) T.fill(0);
      else for (let t = 0; t < clear.length; t++) T[clear[t]!] = 0;
      for (let q = 0; q < runs.length; q += 3) {
        const vs = runs[q]!;
        const ts = runs[q + 1]! - vs;
        const ve = vs + runs[q + 2]!;
        for (let i = vs; i < ve; i++) T[ts + i] = v[i]!;
      }
    } else {
      for (let q = 0; q < runs.length; q += 3) {
        const vs = runs[q]!;
        const ts = runs[q + 1]! - vs;
        const ve = vs + runs[q + 2]!;
        for (let i = vs; i < ve; i++) v[i] = T[ts + i]!;
      }
    }
  }

  /** Solves L x = b in place. */
  solveL(x: Float64Array): void {
    this.solveLColumns(x, this.pattern.nNodes);
  }

  /** Forward substitution through the block columns 0 .. upto - 1 (the rest of x is only updated). */
  private solveLColumns(x: Float64Array, upto: number): void {
    const { sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const v = this.values;
    for (let j = 0; j < upto; j++) {
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

  /**
   * Solves L x = b in place as solveL does, but reads the dense tail's
   * factor where the last factorisation left it: one contiguous sweep of its
   * columns instead of a walk over its (tailDim^2 / 2 scalar) blocks.  The
   * same operations in the same order, so the same result to the bit.  Valid
   * straight after a successful factor, before anything writes `values`
   * (which this cannot see); otherwise it falls back to solveL.
   */
  solveLFresh(x: Float64Array): void {
    if (!this.tailFresh) {
      this.solveL(x);
      return;
    }
    this.solveLColumns(x, this.pattern.denseStart);
    denseForwardSolve(this.tail, this.tailDim, x, this.tailStart);
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
   * nodes [0, upto), returned concatenated, node j's s_j x s_j block after
   * those of nodes < j.  Two methods, by their work counts:
   *
   * - the selected inverse (Takahashi recurrences, selected-inverse.ts): the
   *   tail's whole inverse M on the WebAssembly kernel (about two
   *   factorisations' multiply-adds at kernel speed), then |P_j|^2 work per
   *   sparse node j with pattern P_j;
   * - path sums (inverseByPaths): one triangular inverse of the tail, then a
   *   memory-bound combination of its columns per sparse node, which wins
   *   when few sparse nodes meet a large tail, and is the fallback without
   *   the kernel.
   */
  inverseDiagonalBlocks(upto: number): Float64Array {
    const { sizes, nodeStart, colPtr, rowIdx, nNodes } = this.pattern;
    const K = Math.min(this.pattern.denseStart, upto);
    const useTail = this.pattern.denseStart < nNodes && this.pattern.denseStart < upto;
    const mz = useTail ? nodeStart[upto]! - this.tailStart : 0;
    const outStart = new Int32Array(upto + 1);
    for (let j = 0; j < upto; j++) outStart[j + 1] = outStart[j]! + sizes[j]! * sizes[j]!;
    const out = new Float64Array(outStart[upto]!);
    let selected = !useTail;
    if (useTail) {
      let pairs = 0;
      let forms = 0;
      for (let j = 0; j < K; j++) {
        let rows = 0;
        let tailRows = 0;
        for (let b = colPtr[j]!; b < colPtr[j + 1]! && rowIdx[b]! < upto; b++) {
          rows += sizes[rowIdx[b]!]!;
          if (rowIdx[b]! >= K) tailRows += sizes[rowIdx[b]!]!;
        }
        pairs += rows * rows;
        forms += (tailRows * sizes[j]! * mz) / 2;
      }
      selected = GRAM_COST * ((mz * mz * mz) / 6) + PAIR_COST * pairs < forms;
    }
    if (selected) {
      const parts = this.selectedInverseInto(upto, out, outStart);
      if (parts !== null) return out;
    }
    return this.inverseByPaths(upto, out);
  }

  /**
   * The selected inverse of the leading nodes [0, upto): Z = (L_11 L_11')^{-1}
   * for L_11 the factor's leading part, on every block of the pattern
   * between those nodes (see SelectedInverseParts for where each block is
   * read), with its diagonal blocks as inverseDiagonalBlocks gives them.
   * Null where the dense tail's inverse needs the WebAssembly kernel and it
   * is unavailable.
   */
  selectedInverse(upto: number): SelectedInverseParts | null {
    const { sizes } = this.pattern;
    const outStart = new Int32Array(upto + 1);
    for (let j = 0; j < upto; j++) outStart[j + 1] = outStart[j]! + sizes[j]! * sizes[j]!;
    return this.selectedInverseInto(upto, new Float64Array(outStart[upto]!), outStart);
  }

  /**
   * The selected inverse of the whole factor, (L L')^{-1} on every block of
   * the pattern, in the layout of `values` (diagonal blocks full).  Without
   * the WebAssembly kernel the dense tail's inverse runs in JS.
   */
  selectedInverseValues(): Float64Array {
    const { nNodes, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset, nValues } = this.pattern;
    const outStart = new Int32Array(nNodes + 1);
    for (let j = 0; j < nNodes; j++) outStart[j + 1] = outStart[j]! + sizes[j]! * sizes[j]!;
    const parts = this.selectedInverseInto(nNodes, new Float64Array(outStart[nNodes]!), outStart, true)!;
    const Z = new Float64Array(nValues);
    Z.set(parts.sparse);
    const { tail, tailDim: mz, tailFrom } = parts;
    const at = (a: number, b: number): number => (a >= b ? tail[b * mz + a]! : tail[a * mz + b]!);
    for (let j = tailFrom; j < nNodes; j++) {
      const sj = sizes[j]!;
      const tj = nodeStart[j]! - this.tailStart;
      for (let c = 0; c < sj; c++) for (let r = 0; r < sj; r++) Z[diagOffset[j]! + c * sj + r] = at(tj + r, tj + c);
      for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        const si = sizes[i]!;
        const ti = nodeStart[i]! - this.tailStart;
        for (let c = 0; c < sj; c++) for (let r = 0; r < si; r++) Z[blockOffset[b]! + c * si + r] = tail[(tj + c) * mz + ti + r]!;
      }
    }
    return Z;
  }

  private selectedInverseInto(upto: number, out: Float64Array, outStart: Int32Array, orJs = false): SelectedInverseParts | null {
    const { sizes, nodeStart, nNodes } = this.pattern;
    const K = Math.min(this.pattern.denseStart, upto);
    const useTail = this.pattern.denseStart < nNodes && this.pattern.denseStart < upto;
    const mz = useTail ? nodeStart[upto]! - this.tailStart : 0;
    const M = useTail
      ? (spdInverseLower(this.tail, this.tailDim, mz) ?? (orJs ? spdInverseLowerJs(this.tail, this.tailDim, mz) : null))
      : new Float64Array(0);
    if (M === null) return null;
    const sparse = sparseSelectedInverse(this.pattern, this.values, upto, M, mz, out, outStart);
    for (let j = K; j < upto; j++) {
      const sj = sizes[j]!;
      const d = nodeStart[j]! - this.tailStart;
      const o = outStart[j]!;
      for (let c1 = 0; c1 < sj; c1++)
        for (let c2 = c1; c2 < sj; c2++) {
          const s = M[(d + c1) * mz + d + c2]!;
          out[o + c2 * sj + c1] = s;
          out[o + c1 * sj + c2] = s;
        }
    }
    return { sparse, tail: M, tailDim: mz, tailFrom: K, tailStart: this.tailStart, diagonal: out };
  }

  /**
   * inverseDiagonalBlocks by elimination paths: block j is the sum over m of
   * X_m' X_m with X = L_11^{-1} E_j, whose nonzeros lie on j's
   * elimination-tree path.  Once the path enters the dense tail, the rest of
   * the sum is v' (L_TT L_TT')^{-1} v for the vector v that entered it, which
   * is |L_TT^{-1} v|^2: a combination of the columns of L_TT^{-1} that v
   * touches, with that triangular inverse formed once.
   */
  private inverseByPaths(upto: number, out: Float64Array): Float64Array {
    const { sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset, parent, nNodes } = this.pattern;
    const v = this.values;
    const K = Math.min(this.pattern.denseStart, upto);
    const useTail = this.pattern.denseStart < nNodes && this.pattern.denseStart < upto;
    const t0 = this.tailStart;
    const mz = useTail ? nodeStart[upto]! - t0 : 0;
    const dim = nodeStart[upto]!;
    const work: Float64Array[] = [];
    const gPtr: number[] = [];
    const gIdx: number[] = [];
    const gWidth: number[] = [];
    const gValStart: number[] = [];
    const gVal: number[] = [];
    const gOut: number[] = [];
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
        // Record v = the path's vector where it enters the tail; its quadratic
        // form with the tail's inverse is added for all nodes at once, below.
        touched.sort((a, b) => a - b);
        gPtr.push(gIdx.length);
        gWidth.push(sj);
        gValStart.push(gVal.length);
        gOut.push(outOff);
        for (const a of touched) {
          gIdx.push(a);
          for (let c = 0; c < sj; c++) gVal.push(work[c]![t0 + a]!);
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
    if (!useTail) return out;
    gPtr.push(gIdx.length);
    const groups: SparseColumnGroups = {
      nGroups: gWidth.length,
      ptr: Int32Array.from(gPtr),
      idx: Int32Array.from(gIdx),
      width: Int32Array.from(gWidth),
      valStart: Int32Array.from(gValStart),
      val: Float64Array.from(gVal),
      outStart: Int32Array.from(gOut),
    };
    // X = L_TT^{-1} on the tail's leading mz rows/columns (those of nodes < upto).
    const X = lowerTriangularInverse(this.tail, this.tailDim, mz);
    addTailQuadraticForms(X, mz, groups, out);
    // Tail nodes: entries of X' X, dot products of columns of X from the lower one's diagonal down.
    for (let j = K; j < upto; j++) {
      const sj = sizes[j]!;
      const d = nodeStart[j]! - t0;
      for (let c1 = 0; c1 < sj; c1++)
        for (let c2 = c1; c2 < sj; c2++) {
          const a = (d + c1) * mz;
          const b = (d + c2) * mz;
          let s = 0;
          for (let i = d + c2; i < mz; i++) s += X[a + i]! * X[b + i]!;
          out[outOff + c2 * sj + c1] = s;
          out[outOff + c1 * sj + c2] = s;
        }
      outOff += sj * sj;
    }
    return out;
  }
}

/**
 * Solves L x = b for the dense lower m x m factor T (column-major) on
 * x[xoff .. xoff + m), column by column as the block solve does.  A module
 * function so its loop is compiled on its own.
 *
 * Four columns at a time below their 4 x 4 diagonal block: each x[r] is
 * loaded and stored once per four columns instead of once per column, and
 * still gets the columns' terms one at a time in column order, so the result
 * is the column-by-column one to the bit.  Columns with x_c = 0 add nothing
 * (as in the block solve), so a group with one takes the one-column loop.
 */
function denseForwardSolve(T: Float64Array, m: number, x: Float64Array, xoff: number): void {
  let c = 0;
  for (; c + 3 < m; c += 4) {
    const c0 = c * m;
    const c1 = c0 + m;
    const c2 = c1 + m;
    const c3 = c2 + m;
    const e = Math.min(c + 4, m);
    for (let k = c; k < e; k++) {
      const col = k * m;
      const xk = (x[xoff + k]! /= T[col + k]!);
      if (xk === 0) continue;
      for (let r = k + 1; r < e; r++) x[xoff + r]! -= T[col + r]! * xk;
    }
    const x0 = x[xoff + c]!;
    const x1 = x[xoff + c + 1]!;
    const x2 = x[xoff + c + 2]!;
    const x3 = x[xoff + c + 3]!;
    if (x0 !== 0 && x1 !== 0 && x2 !== 0 && x3 !== 0) {
      for (let r = c + 4; r < m; r++) x[xoff + r] = x[xoff + r]! - T[c0 + r]! * x0 - T[c1 + r]! * x1 - T[c2 + r]! * x2 - T[c3 + r]! * x3;
    } else {
      for (let k = c; k < c + 4; k++) {
        const col = k * m;
        const xk = x[xoff + k]!;
        if (xk === 0) continue;
        for (let r = c + 4; r < m; r++) x[xoff + r]! -= T[col + r]! * xk;
      }
    }
  }
  for (; c < m; c++) {
    const col = c * m;
    const xc = (x[xoff + c]! /= T[col + c]!);
    if (xc === 0) continue;
    for (let r = c + 1; r < m; r++) x[xoff + r]! -= T[col + r]! * xc;
  }
}

/**
 * A selected inverse Z (BlockCholesky.selectedInverse).  Block (i, j),
 * i >= j, of a column j < tailFrom is in `sparse`, at the offset of the
 * factor's block (diagOffset[j] for i = j, column-major as the factor's);
 * a block with j >= tailFrom (both nodes in the dense tail) is in `tail`,
 * the lower triangle of an tailDim x tailDim column-major matrix indexed by
 * nodeStart - tailStart.
 */
export interface SelectedInverseParts {
  readonly sparse: Float64Array;
  readonly tail: Float64Array;
  readonly tailDim: number;
  readonly tailFrom: number;
  readonly tailStart: number;
  /** The diagonal blocks, one after another in node order (s_j x s_j each), as inverseDiagonalBlocks. */
  readonly diagonal: Float64Array;
}
