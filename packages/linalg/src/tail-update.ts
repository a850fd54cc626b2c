import type { BlockPattern } from './block-pattern.js';
import { gatheredRankUpdate } from './gathered-update.js';

/** Widest tail group (sum of column widths): bounds the gather buffer at MAX_GROUP_RANK times the longest column. */
const MAX_GROUP_RANK = 32;
/** A column joins a group while the union of their tail rows stays within this factor of its own rows and of the group's. */
const GROUP_SLACK = 1.25;

/**
 * The Schur-complement update that the sparse columns (nodes before
 * denseStart) make to the dense tail: T -= V V', V holding the tail rows of
 * every sparse column, one column of V per scalar column.  Deferring any of
 * it is exact, since the tail is read only after every sparse column has been
 * factored, so the update is organised for speed rather than column order:
 *
 * - groups: consecutive sparse columns whose tail rows are nearly the same
 *   (a factor crossed with most of the tail: the union of their rows at most
 *   GROUP_SLACK times the rows of any one), or of width > 1, are gathered
 *   over the union of their rows, zeros where a column has none, and applied
 *   as one rank-R update when the group's last column is done: R products
 *   per load and store of the tail instead of one;
 * - singletons: the other scalar columns, each with its own scattered rows
 *   (partially crossed factors), are applied all together at the end, one
 *   tail column at a time, so each column of T stays in cache while every
 *   singleton touching it adds to it (column by singleton, T is a random
 *   access pattern over the whole tail).
 */
export class TailSchurUpdate {
  /** First block of each sparse column whose row lies in the dense tail. */
  readonly tailFirst: Int32Array;
  /** First column of the group each sparse column belongs to. */
  private readonly groupFirst: Int32Array;
  /** 1 where a sparse column is the last of a group applied on its own. */
  private readonly groupEnds: Uint8Array;
  /** Tail row nodes (ascending) of each group, by its last column: groupNodes[groupNodePtr[j] .. groupNodePtr[j + 1]). */
  private readonly groupNodePtr: Int32Array;
  private readonly groupNodes: Int32Array;
  /** Scalar position of each tail node within the group being applied. */
  private readonly unionAt: Int32Array;
  /** 1 for the tail columns some group updates (the others are first written by the singletons' pass). */
  private readonly groupColumn: Uint8Array;
  private readonly gatherPos: Int32Array;
  private readonly gatherVal: Float64Array;
  /** Singleton columns: tail positions (ascending within a column) and value indices, per entry. */
  private readonly singlePos: Int32Array;
  private readonly singleSrc: Int32Array;
  private readonly singleVal: Float64Array;
  /** Entries at tail position c: rowEntry[rowPtr[c] .. rowPtr[c+1]), each with its column's end entry. */
  private readonly rowPtr: Int32Array;
  private readonly rowEntry: Int32Array;
  private readonly rowEntryEnd: Int32Array;

  constructor(private readonly pattern: BlockPattern) {
    const { nNodes, sizes, nodeStart, colPtr, rowIdx, blockOffset, denseStart: K } = pattern;
    const hasTail = K < nNodes;
    const t0 = nodeStart[K]!;
    const m = nodeStart[nNodes]! - t0;
    this.tailFirst = new Int32Array(K);
    this.groupFirst = new Int32Array(K);
    this.groupEnds = new Uint8Array(K);
    const tailRows = new Int32Array(K);
    for (let j = 0; j < K; j++) {
      let b = colPtr[j]!;
      while (b < colPtr[j + 1]! && rowIdx[b]! < K) b++;
      this.tailFirst[j] = b;
      for (let t = b; t < colPtr[j + 1]!; t++) tailRows[j]! += sizes[rowIdx[t]!]!;
    }
    let longest = 0;
    let widest = 0;
    let first = 0;
    let rank = 0;
    const single = new Uint8Array(K);
    // The current group's union of tail row nodes: marked with its first column (+1).
    const mark = new Int32Array(nNodes);
    let unionRows = 0;
    const groupNodeLists: number[][] = [];
    const groupOfEnd = new Int32Array(K).fill(-1);
    const union: number[] = [];
    for (let j = 0; j <= K; j++) {
      let joins = hasTail && j < K && j > 0 && rank + sizes[j]! <= MAX_GROUP_RANK && tailRows[j]! > 0;
      let added = 0;
      if (joins) {
        for (let b = this.tailFirst[j]!; b < colPtr[j + 1]!; b++) if (mark[rowIdx[b]!] !== first + 1) added += sizes[rowIdx[b]!]!;
        const merged = unionRows + added;
        joins = merged <= GROUP_SLACK * tailRows[j]! && merged <= GROUP_SLACK * unionRows;
      }
      if (!joins && j > 0 && hasTail && tailRows[j - 1]! > 0) {
        // Close the group first..j-1.
        if (first === j - 1 && sizes[first] === 1) single[first] = 1;
        else {
          this.groupEnds[j - 1] = 1;
          groupOfEnd[j - 1] = groupNodeLists.length;
          groupNodeLists.push(Array.from(union).sort((a, b) => a - b));
          longest = Math.max(longest, unionRows);
          widest = Math.max(widest, unionRows * rank);
        }
      }
      if (j === K) break;
      if (!joins) {
        first = j;
        rank = 0;
        unionRows = 0;
        union.length = 0;
      }
      rank += sizes[j]!;
      this.groupFirst[j] = first;
      for (let b = this.tailFirst[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        if (mark[i] === first + 1) continue;
        mark[i] = first + 1;
        union.push(i);
        unionRows += sizes[i]!;
      }
    }
    this.groupNodePtr = new Int32Array(K + 1);
    for (let j = 0; j < K; j++) this.groupNodePtr[j + 1] = this.groupNodePtr[j]! + (groupOfEnd[j]! >= 0 ? groupNodeLists[groupOfEnd[j]!]!.length : 0);
    this.groupNodes = new Int32Array(this.groupNodePtr[K]!);
    for (let j = 0; j < K; j++) if (groupOfEnd[j]! >= 0) this.groupNodes.set(groupNodeLists[groupOfEnd[j]!]!, this.groupNodePtr[j]!);
    this.unionAt = new Int32Array(hasTail ? nNodes : 0);
    // Tail columns a group writes to (its rows: it updates T[pos[r], pos[c]], r >= c).
    this.groupColumn = new Uint8Array(hasTail ? m : 0);
    for (let t = 0; t < this.groupNodes.length; t++) {
      const i = this.groupNodes[t]!;
      this.groupColumn.fill(1, nodeStart[i]! - t0, nodeStart[i]! - t0 + sizes[i]!);
    }
    this.gatherPos = new Int32Array(longest);
    this.gatherVal = new Float64Array(widest);

    let nEntries = 0;
    for (let j = 0; j < K; j++) if (single[j] === 1) nEntries += tailRows[j]!;
    this.singlePos = new Int32Array(nEntries);
    this.singleSrc = new Int32Array(nEntries);
    this.singleVal = new Float64Array(nEntries);
    const end = new Int32Array(nEntries);
    this.rowPtr = new Int32Array(hasTail ? m + 1 : 1);
    let e = 0;
    for (let j = 0; j < K; j++) {
      if (single[j] !== 1) continue;
      const e0 = e;
      for (let b = this.tailFirst[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        for (let r = 0; r < sizes[i]!; r++) {
          this.singlePos[e] = nodeStart[i]! - t0 + r;
          this.singleSrc[e] = blockOffset[b]! + r;
          e++;
        }
      }
      end.fill(e, e0, e);
    }
    for (let t = 0; t < nEntries; t++) this.rowPtr[this.singlePos[t]! + 1]!++;
    for (let c = 0; c < m; c++) this.rowPtr[c + 1]! += this.rowPtr[c]!;
    this.rowEntry = new Int32Array(nEntries);
    this.rowEntryEnd = new Int32Array(nEntries);
    const fill = this.rowPtr.slice(0, Math.max(m, 0));
    for (let t = 0; t < nEntries; t++) {
      const at = fill[this.singlePos[t]!]!++;
      this.rowEntry[at] = t;
      this.rowEntryEnd[at] = end[t]!;
    }
  }

  /** Called once sparse column j is factored: applies its group if j closes one. */
  afterColumn(j: number, v: Float64Array, T: Float64Array, m: number): void {
    if (this.groupEnds[j] === 1) this.applyGroup(this.groupFirst[j]!, j, v, T, m);
  }

  /**
   * The group first..last: its scalar columns gathered into flat
   * position/value arrays over the union of their tail rows (a row node of
   * size s contributes s consecutive positions; zeros where a column has no
   * block), applied as one rank-R update.
   */
  private applyGroup(first: number, last: number, v: Float64Array, T: Float64Array, m: number): void {
    const { sizes, nodeStart, colPtr, rowIdx, blockOffset, denseStart } = this.pattern;
    const t0 = nodeStart[denseStart]!;
    const pos = this.gatherPos;
    const val = this.gatherVal;
    const at = this.unionAt;
    let cnt = 0;
    for (let t = this.groupNodePtr[last]!; t < this.groupNodePtr[last + 1]!; t++) {
      const i = this.groupNodes[t]!;
      const si = sizes[i]!;
      const p = nodeStart[i]! - t0;
      at[i] = cnt;
      for (let r = 0; r < si; r++) pos[cnt + r] = p + r;
      cnt += si;
    }
    // Values one scalar column after another (block storage is si x sj column-major).
    let k = 0;
    for (let j = first; j <= last; j++) {
      const sj = sizes[j]!;
      val.fill(0, k * cnt, (k + sj) * cnt);
      for (let b = this.tailFirst[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        const si = sizes[i]!;
        const off = blockOffset[b]!;
        const row = at[i]!;
        for (let c = 0; c < sj; c++) {
          const dst = (k + c) * cnt + row;
          for (let r = 0; r < si; r++) val[dst + r] = v[off + c * si + r]!;
        }
      }
      k += sj;
    }
    gatheredRankUpdate(T, m, pos, val, cnt, k);
  }

  /**
   * Writes the starting values of the tail columns that groups update, which
   * must be in place before the first sparse column; finish(…, start) writes
   * the rest.
   */
  writeGroupColumns(T: Float64Array, m: number, start: ScaledTail): void {
    const cols = this.groupColumn;
    for (let c = 0; c < m; c++) if (cols[c] === 1) writeStartColumn(T, m, c, start);
  }

  /**
   * Called after the last sparse column: applies every singleton column,
   * tail column by tail column.  With `start`, each tail column no group
   * updates (see writeGroupColumns) is first written as start describes,
   * while it is in cache for the updates anyway: one pass over the tail
   * instead of two, and the same values, as nothing touched it before.
   */
  finish(v: Float64Array, T: Float64Array, m: number, start: ScaledTail | null = null): void {
    const val = this.singleVal;
    const src = this.singleSrc;
    const n = val.length;
    if (n === 0 && start === null) return;
    for (let e = 0; e < n; e++) val[e] = v[src[e]!]!;
    const pos = this.singlePos;
    const rowPtr = this.rowPtr;
    const rowEntry = this.rowEntry;
    const rowEntryEnd = this.rowEntryEnd;
    for (let c = 0; c < m; c++) {
      const col = c * m;
      if (start !== null && this.groupColumn[c] === 0) writeStartColumn(T, m, c, start);
      for (let t = rowPtr[c]!; t < rowPtr[c + 1]!; t++) {
        const e = rowEntry[t]!;
        const vc = val[e]!;
        if (vc === 0) continue;
        // Entries of one column ascend, so the ones from e on are the rows >= c.
        // Four at a time (distinct rows): the loads issue before any store,
        // which measured 1.6x faster than the plain loop (two at a time) and
        // some 5% more (four).
        const e1 = rowEntryEnd[t]!;
        let r = e;
        for (; r + 3 < e1; r += 4) {
          const p0 = col + pos[r]!;
          const p1 = col + pos[r + 1]!;
          const p2 = col + pos[r + 2]!;
          const p3 = col + pos[r + 3]!;
          const a0 = T[p0]! - val[r]! * vc;
          const a1 = T[p1]! - val[r + 1]! * vc;
          const a2 = T[p2]! - val[r + 2]! * vc;
          const a3 = T[p3]! - val[r + 3]! * vc;
          T[p0] = a0;
          T[p1] = a1;
          T[p2] = a2;
          T[p3] = a3;
        }
        for (; r < e1; r++) T[col + pos[r]!]! -= val[r]! * vc;
      }
    }
  }
}

/** The tail's starting values D image D + diag(shift), D = diag(scale): see BlockCholesky.factorWithScaledTail. */
export interface ScaledTail {
  readonly image: Float64Array;
  readonly scale: Float64Array;
  readonly shift: Float64Array;
}

/** Column c of the tail's starting values, rows c.. (the dense kernel reads nothing above the diagonal). */
function writeStartColumn(T: Float64Array, m: number, c: number, start: ScaledTail): void {
  const { image, scale, shift } = start;
  const col = c * m;
  // In the order of the blocks' own scaling: image * scale[r] * scale[c], then the shift.
  const sc = scale[c]!;
  for (let r = c; r < m; r++) T[col + r] = image[col + r]! * scale[r]! * sc;
  T[col + c]! += shift[c]!;
}
