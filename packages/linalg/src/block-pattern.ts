/**
 * Symbolic structure of a block-sparse lower-triangular Cholesky factor.
 *
 * Nodes are small dense blocks (one level of one random-effects term, k x k,
 * or the fixed-effects block), so a scalar random intercept gives a diagonal
 * factor, random slopes give small dense blocks, nested factors stay sparse,
 * and fill-in is stored only where crossed factors cause it.
 */
export interface BlockPattern {
  readonly nNodes: number;
  /** Size (rows = columns) of each node's diagonal block. */
  readonly sizes: Int32Array;
  /** Offset of each node in a dense vector; nodeStart[nNodes] is the dimension. */
  readonly nodeStart: Int32Array;
  /** Off-diagonal blocks of column j are colPtr[j] .. colPtr[j+1]-1. */
  readonly colPtr: Int32Array;
  /** Row node of each off-diagonal block, ascending within a column. */
  readonly rowIdx: Int32Array;
  /** Offset in the values array of each node's diagonal block (column-major). */
  readonly diagOffset: Int32Array;
  /** Offset in the values array of each off-diagonal block (column-major, rows x cols = size[row] x size[col]). */
  readonly blockOffset: Int32Array;
  readonly nValues: number;
  /** Elimination-tree parent of each node (-1 for a root). */
  readonly parent: Int32Array;
  /**
   * First node of the dense tail: nodes denseStart.. are (nearly) all
   * connected to one another (crossed factors fill in), so the factorisation
   * treats them as one dense matrix.  Equals nNodes when there is no such tail.
   */
  readonly denseStart: number;
}

/** Tails smaller than this stay in block storage: the dense kernel only pays off on real fill-in. */
const MIN_DENSE_TAIL = 24;
/** Beyond this dimension a dense tail would need too much memory (8000^2 doubles = 512 MB). */
const MAX_DENSE_TAIL = 8000;

/**
 * Computes the filled pattern of L from the pattern of the lower triangle of A.
 * `lower[j]` lists the row nodes i > j with a nonzero block A_ij (any order,
 * duplicates allowed).  A column's pattern is its own plus its elimination-tree
 * children's, which is exactly the fill of a Cholesky factorisation.
 */
export function symbolicBlockCholesky(sizes: Int32Array, lower: readonly ArrayLike<number>[]): BlockPattern {
  const n = sizes.length;
  const parent = new Int32Array(n).fill(-1);
  const childHead = new Int32Array(n).fill(-1);
  const childNext = new Int32Array(n).fill(-1);
  const mark = new Int32Array(n).fill(-1);
  const patterns: Int32Array[] = new Array(n);
  const buffer: number[] = [];
  for (let j = 0; j < n; j++) {
    if (j > 0 && patterns[j - 1]!.length === n - j) {
      // Column j - 1 holds every later node, so its parent j holds every node
      // after j, and so on to the end: the rest of the factor is full (a
      // dense tail), with no merging to do.
      for (let c = j; c < n; c++) {
        patterns[c] = fullRange(c + 1, n);
        if (c + 1 < n) parent[c] = c + 1;
      }
      break;
    }
    buffer.length = 0;
    const own = lower[j];
    if (own) {
      for (let t = 0; t < own.length; t++) {
        const i = own[t]!;
        if (i <= j) throw new Error(`pattern of column ${j} holds row ${i}, not below the diagonal`);
        if (mark[i] !== j) {
          mark[i] = j;
          buffer.push(i);
        }
      }
    }
    for (let c = childHead[j]!; c >= 0; c = childNext[c]!) {
      const pc = patterns[c]!;
      for (let t = 0; t < pc.length; t++) {
        const i = pc[t]!;
        if (i !== j && mark[i] !== j) {
          mark[i] = j;
          buffer.push(i);
        }
      }
    }
    // A long pattern comes out sorted from a scan of the marks, cheaper than sorting it.
    const pj = buffer.length * 8 > n - j ? markedRows(mark, j, n, buffer.length) : Int32Array.from(buffer).sort();
    patterns[j] = pj;
    if (pj.length > 0) {
      const par = pj[0]!;
      parent[j] = par;
      childNext[j] = childHead[par]!;
      childHead[par] = j;
    }
  }
  const nodeStart = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) nodeStart[j + 1] = nodeStart[j]! + sizes[j]!;
  const colPtr = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) colPtr[j + 1] = colPtr[j]! + patterns[j]!.length;
  const nnz = colPtr[n]!;
  const rowIdx = new Int32Array(nnz);
  const blockOffset = new Int32Array(nnz);
  const diagOffset = new Int32Array(n);
  let off = 0;
  for (let j = 0; j < n; j++) {
    const sj = sizes[j]!;
    diagOffset[j] = off;
    off += sj * sj;
    const pj = patterns[j]!;
    for (let t = 0; t < pj.length; t++) {
      const b = colPtr[j]! + t;
      rowIdx[b] = pj[t]!;
      blockOffset[b] = off;
      off += sizes[pj[t]!]! * sj;
    }
  }
  // The dense tail: crossed factors fill in almost completely, and a dense
  // kernel over the few structural zeros left (which stay exactly zero) is far
  // cheaper per operation than block-wise updates.  Pick the start that
  // minimises a simple cost model: block updates of the columns before it
  // (|pattern|^2 / 2 each, at several times the cost of a dense operation)
  // plus a dense Cholesky of the rest (dim^3 / 6).
  const BLOCK_UPDATE_COST = 4;
  let denseStart = n;
  let bestCost = Infinity;
  let sparseCost = 0;
  const prefix = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) {
    const c = colPtr[j + 1]! - colPtr[j]!;
    const w = sizes[j]!;
    sparseCost += BLOCK_UPDATE_COST * ((c * c) / 2) * w * w * w;
    prefix[j + 1] = sparseCost;
  }
  for (let K = n; K >= 0; K--) {
    const dim = nodeStart[n]! - nodeStart[K]!;
    if (dim > MAX_DENSE_TAIL) break;
    const cost = prefix[K]! + (dim * dim * dim) / 6;
    if (cost < bestCost) {
      bestCost = cost;
      denseStart = K;
    }
  }
  if (nodeStart[n]! - nodeStart[denseStart]! < MIN_DENSE_TAIL) denseStart = n;
  return { nNodes: n, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset, nValues: off, parent, denseStart };
}

/** Index of the off-diagonal block (i, j) in the pattern, or -1 (binary search in column j). */
export function findBlock(pattern: BlockPattern, i: number, j: number): number {
  let lo = pattern.colPtr[j]!;
  let hi = pattern.colPtr[j + 1]! - 1;
  const rows = pattern.rowIdx;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid]!;
    if (r === i) return mid;
    if (r < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** from, from + 1, ..., to - 1. */
function fullRange(from: number, to: number): Int32Array {
  const out = new Int32Array(Math.max(to - from, 0));
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

/** The `count` rows i > j with mark[i] === j, ascending. */
function markedRows(mark: Int32Array, j: number, n: number, count: number): Int32Array {
  const out = new Int32Array(count);
  let k = 0;
  for (let i = j + 1; i < n; i++) if (mark[i] === j) out[k++] = i;
  return out;
}
