import { BlockCholesky, findBlock, symbolicBlockCholesky, type BlockPattern } from '@glmm/linalg';
import type { RandomEffectsStructure } from './random-effects.js';
import {
  groupStride,
  scalarTermRowsGeneric,
  scalarTermRowsUnrolled,
  UNROLLED_MAX_P,
  type ScalarTermRows,
} from './scalar-term-rows.js';

/** Cross-products of the response r = y - offset with the design, W the prior weights. */
export interface ResponseCrossProducts {
  /** Z'W r, in the layout of u (term-major, level-major, k_t per level). */
  readonly zty: Float64Array;
  /** X'W r (empty when the system has no fixed-effects node). */
  readonly xty: Float64Array;
  /** r'W r. */
  readonly yty: number;
  /** sum log w = log det W. */
  readonly logDetW: number;
  /** Whether every weight is exactly 1 (lets callers share residual arrays). */
  readonly unitWeights: boolean;
}

/** Largest dense tail (4096^2 doubles = 128 MB) given a scaled copy of its cross-products. */
const MAX_FUSED_TAIL = 4096;

/**
 * The penalised normal equations of a mixed model,
 *
 *   [ Lambda'Z'WZ Lambda + I   Lambda'Z'WX ] [u]
 *   [ X'WZ Lambda              X'WX        ] [beta],
 *
 * stored block-sparse: one node per level of each random-effects term and,
 * when `withX`, one dense node for the fixed effects.  The cross-products
 * A = [Z X]'W[Z X] are accumulated in one pass over the rows; each theta then
 * only rescales A by Lambda and refactors (the data are not touched again).
 */
export class MixedSystem {
  readonly pattern: BlockPattern;
  readonly chol: BlockCholesky;
  /** Cross-products in the factor's layout (zeros at fill positions). */
  readonly A: Float64Array;
  readonly p: number;
  readonly xNode: number;
  /** Node of each term level (term-major). */
  private readonly pairOffsets: { t1: number; t2: number; offsets: Int32Array }[] = [];
  /** Offset of block (xNode, j) for each Z node j. */
  private readonly xBlock: Int32Array;
  private readonly scratch: Float64Array;
  /** Whether every term is scalar (k = 1), which lets `factor` skip the block products. */
  private readonly allScalar: boolean;
  /** Term of each random-effects node. */
  private readonly nodeTerm: Int32Array;
  /** Lambda_t of each term when all are scalar. */
  private readonly lambdaScalars: Float64Array;
  /** Per-level sums of the scalar-term pass, reused between accumulations. */
  private groupSums = new Float64Array(0);
  /**
   * All terms scalar with a dense tail: A's tail as a dense matrix (built on
   * the first factor after each accumulation), and per tail row its term
   * (-1 for a fixed-effects row) and its scale and diagonal shift.
   */
  private tailImage: Float64Array = new Float64Array(0);
  /** Whether tailImage holds the tail of the current A. */
  private tailImageCurrent = false;
  private readonly tailTerm: Int32Array;
  private readonly tailScale: Float64Array;
  private readonly tailShift: Float64Array;

  constructor(
    readonly re: RandomEffectsStructure,
    readonly withX: boolean,
  ) {
    const model = re.model;
    const T = re.nTerms;
    this.p = withX ? model.p : 0;
    const nZ = re.nNodes;
    const hasXNode = withX && this.p > 0;
    this.xNode = hasXNode ? nZ : -1;
    const nNodes = nZ + (hasXNode ? 1 : 0);
    const sizes = new Int32Array(nNodes);
    for (let t = 0; t < T; t++) sizes.fill(re.k[t]!, re.nodeBase[t]!, re.nodeBase[t + 1]!);
    if (hasXNode) sizes[nZ] = this.p;

    // Pattern of A: pairs of levels that share a row, for each pair of terms.
    // Without pairs of terms every Z column holds the X node only: one shared
    // list (the symbolic factorisation only reads them) instead of one per level.
    const shared = hasXNode ? [nZ] : [];
    const lower: number[][] = Array.from({ length: nNodes }, (_, j) => (j >= nZ ? [] : T > 1 ? [] : shared));
    // The level pairs of every pair of terms, once: they give the pattern
    // here and, after the symbolic factorisation, each row's block offsets.
    const pairs: { t1: number; t2: number; pairs: LevelPairs }[] = [];
    for (let t1 = 0; t1 + 1 < T; t1++) {
      const grouped = rowsByLevel(re.terms[t1]!.index, re.levels[t1]!);
      for (let t2 = t1 + 1; t2 < T; t2++) {
        const found = levelPairs(grouped, re.terms[t2]!.index, re.levels[t2]!);
        const b1 = re.nodeBase[t1]!;
        const b2 = re.nodeBase[t2]!;
        for (let k = 0; k < found.count; k++) lower[b1 + found.first[k]!]!.push(b2 + found.second[k]!);
        pairs.push({ t1, t2, pairs: found });
      }
    }
    if (hasXNode && T > 1) for (let j = 0; j < nZ; j++) lower[j]!.push(nZ);
    this.pattern = symbolicBlockCholesky(sizes, lower);
    this.chol = new BlockCholesky(this.pattern);
    this.A = new Float64Array(this.pattern.nValues);

    for (const { t1, t2, pairs: found } of pairs) {
      const b1 = re.nodeBase[t1]!;
      const b2 = re.nodeBase[t2]!;
      const blockOf = new Int32Array(found.count);
      for (let k = 0; k < found.count; k++) blockOf[k] = this.pattern.blockOffset[findBlock(this.pattern, b2 + found.second[k]!, b1 + found.first[k]!)]!;
      const offsets = new Int32Array(model.n);
      for (let r = 0; r < offsets.length; r++) offsets[r] = blockOf[found.pairOfRow[r]!]!;
      this.pairOffsets.push({ t1, t2, offsets });
    }
    this.xBlock = new Int32Array(nZ);
    if (hasXNode) for (let j = 0; j < nZ; j++) this.xBlock[j] = this.pattern.blockOffset[findBlock(this.pattern, nZ, j)]!;
    let maxK = 1;
    for (let t = 0; t < T; t++) maxK = Math.max(maxK, re.k[t]!);
    this.scratch = new Float64Array(Math.max(maxK, this.p) * Math.max(maxK, this.p));
    this.allScalar = maxK === 1;
    this.nodeTerm = new Int32Array(nZ);
    for (let t = 0; t < T; t++) this.nodeTerm.fill(t, re.nodeBase[t]!, re.nodeBase[t + 1]!);
    this.lambdaScalars = new Float64Array(T);
    const { denseStart, nodeStart } = this.pattern;
    // The image doubles the tail's memory: past MAX_FUSED_TAIL the blocks are scaled in place instead.
    const fused = this.allScalar && this.chol.hasDenseTail && nodeStart[nNodes]! - nodeStart[denseStart]! <= MAX_FUSED_TAIL;
    const m = fused ? nodeStart[nNodes]! - nodeStart[denseStart]! : 0;
    this.tailTerm = new Int32Array(m).fill(-1);
    this.tailScale = new Float64Array(m).fill(1);
    this.tailShift = new Float64Array(m);
    if (fused) {
      // Scalar nodes hold one row each; the fixed-effects rows (last) keep scale 1 and shift 0.
      for (let j = denseStart; j < nZ; j++) {
        const r = nodeStart[j]! - nodeStart[denseStart]!;
        this.tailTerm[r] = this.nodeTerm[j]!;
        this.tailShift[r] = 1;
      }
    }
  }

  /** Accumulates A = [Z X]' diag(w) [Z X] (lower blocks). */
  accumulate(w: Float64Array): void {
    this.accumulateRows(w, null, null);
  }

  /**
   * Accumulates A as `accumulate` does and, in the same pass over the rows,
   * the cross-products of the response y - offset with [Z X] and itself.
   */
  accumulateWithResponse(w: Float64Array, y: Float64Array, offset: Float64Array): ResponseCrossProducts {
    return this.accumulateRows(w, y, offset)!;
  }

  private accumulateRows(w: Float64Array, y: Float64Array | null, offset: Float64Array | null): ResponseCrossProducts | null {
    this.A.fill(0);
    this.tailImageCurrent = false;
    const re = this.re;
    if (re.nTerms === 1 && re.k[0] === 1) return this.accumulateScalarTerm(w, y, offset);
    this.accumulateGeneral(w);
    return y && offset ? this.responseGeneral(w, y, offset) : null;
  }

  /**
   * One scalar term: every sum in one pass over the rows (see
   * scalar-term-rows.ts), gathered per level and then scattered into A's
   * blocks, which are not contiguous per level.
   */
  private accumulateScalarTerm(w: Float64Array, y: Float64Array | null, offset: Float64Array | null): ResponseCrossProducts | null {
    const re = this.re;
    const model = re.model;
    const p = this.p;
    const term = re.terms[0]!;
    const nl = re.levels[0]!;
    const stride = groupStride(p);
    if (this.groupSums.length !== nl * stride) this.groupSums = new Float64Array(nl * stride);
    const G = this.groupSums;
    G.fill(0);
    const pe = p + 1;
    const xx = new Float64Array(pe * pe);
    const rows: ScalarTermRows = {
      n: model.n,
      idx: term.index,
      w,
      z: term.columns[0]!,
      X: model.X,
      p,
      response: y && offset ? { y, offset } : null,
    };
    const weights = p <= UNROLLED_MAX_P ? scalarTermRowsUnrolled(rows, G, xx) : scalarTermRowsGeneric(rows, G, xx);
    const A = this.A;
    const { diagOffset } = this.pattern;
    const zty = new Float64Array(y ? re.q : 0);
    // One term: level j is node j and coefficient j.
    scatterLevelSums(G, stride, nl, p, this.xNode >= 0, A, diagOffset, this.xBlock, zty);
    if (this.xNode >= 0) {
      const d = diagOffset[this.xNode]!;
      for (let c = 0; c < p; c++)
        for (let a = c; a < p; a++) {
          A[d + c * p + a] = xx[c * pe + a]!;
          A[d + a * p + c] = xx[c * pe + a]!;
        }
    }
    if (!y) return null;
    const xty = new Float64Array(p);
    for (let a = 0; a < p; a++) xty[a] = xx[a * pe + p]!;
    return { zty, xty, yty: xx[p * pe + p]!, logDetW: weights.logDetW, unitWeights: weights.unitWeights };
  }

  /** The response's cross-products for the general layout: a few more passes over the rows. */
  private responseGeneral(w: Float64Array, y: Float64Array, offset: Float64Array): ResponseCrossProducts {
    const re = this.re;
    const { n, X } = re.model;
    const p = this.p;
    const wy = new Float64Array(n);
    let yty = 0;
    let logDetW = 0;
    let nonUnit = 0;
    for (let r = 0; r < n; r++) {
      const wr = w[r]!;
      const yr = y[r]! - offset[r]!;
      wy[r] = wr * yr;
      yty += wr * yr * yr;
      // Unit weights, the usual case, add nothing: skip the logarithm.
      if (wr !== 1) {
        nonUnit++;
        logDetW += Math.log(wr);
      }
    }
    const zty = re.ztv(wy);
    const xty = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      let s = 0;
      const xo = a * n;
      for (let r = 0; r < n; r++) s += X[xo + r]! * wy[r]!;
      xty[a] = s;
    }
    return { zty, xty, yty, logDetW, unitWeights: nonUnit === 0 };
  }

  private accumulateGeneral(w: Float64Array): void {
    const A = this.A;
    const re = this.re;
    const model = re.model;
    const n = model.n;
    const { diagOffset } = this.pattern;
    for (let t = 0; t < re.nTerms; t++) {
      const term = re.terms[t]!;
      const k = re.k[t]!;
      const idx = term.index;
      const base = re.nodeBase[t]!;
      const cols = term.columns;
      if (k === 1 && this.xNode >= 0) {
        // The common scalar term: its diagonal and its X block in one pass over the rows.
        const z = cols[0]!;
        const X = model.X;
        const p = this.p;
        const xBlock = this.xBlock;
        for (let r = 0; r < n; r++) {
          const node = base + idx[r]!;
          const wz = w[r]! * z[r]!;
          A[diagOffset[node]!]! += wz * z[r]!;
          const xb = xBlock[node]!;
          for (let a = 0; a < p; a++) A[xb + a]! += wz * X[a * n + r]!;
        }
        continue;
      }
      if (k === 1) {
        const z = cols[0]!;
        for (let r = 0; r < n; r++) {
          const zr = z[r]!;
          A[diagOffset[base + idx[r]!]!]! += w[r]! * zr * zr;
        }
      } else {
        for (let a = 0; a < k; a++) {
          const za = cols[a]!;
          for (let c = 0; c <= a; c++) {
            const zc = cols[c]!;
            const pos = c * k + a;
            for (let r = 0; r < n; r++) A[diagOffset[base + idx[r]!]! + pos]! += w[r]! * za[r]! * zc[r]!;
          }
        }
        // Mirror so diagonal blocks are full symmetric (the Lambda scaling reads both triangles).
        for (let j = base; j < base + re.levels[t]!; j++) {
          const d = diagOffset[j]!;
          for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) A[d + a * k + c] = A[d + c * k + a]!;
        }
      }
      if (this.xNode >= 0) {
        const X = model.X;
        const p = this.p;
        for (let c = 0; c < k; c++) {
          const zc = cols[c]!;
          for (let a = 0; a < p; a++) {
            const xo = a * n;
            const pos = c * p + a;
            for (let r = 0; r < n; r++) A[this.xBlock[base + idx[r]!]! + pos]! += w[r]! * X[xo + r]! * zc[r]!;
          }
        }
      }
    }
    for (const { t1, t2, offsets } of this.pairOffsets) {
      const z1 = re.terms[t1]!.columns;
      const z2 = re.terms[t2]!.columns;
      const k1 = re.k[t1]!;
      const k2 = re.k[t2]!;
      // block (node of t2, node of t1): k2 rows x k1 columns
      for (let c = 0; c < k1; c++)
        for (let a = 0; a < k2; a++) {
          const zc = z1[c]!;
          const za = z2[a]!;
          const pos = c * k2 + a;
          for (let r = 0; r < n; r++) A[offsets[r]! + pos]! += w[r]! * za[r]! * zc[r]!;
        }
    }
    if (this.xNode >= 0) {
      const X = model.X;
      const p = this.p;
      const d = diagOffset[this.xNode]!;
      // X'WX in one pass: the p(p+1)/2 sums accumulate side by side.
      const acc = new Float64Array(p * p);
      for (let r = 0; r < n; r++) {
        const wr = w[r]!;
        for (let a = 0; a < p; a++) {
          const wxa = wr * X[a * n + r]!;
          for (let c = 0; c <= a; c++) acc[c * p + a]! += wxa * X[c * n + r]!;
        }
      }
      for (let a = 0; a < p; a++)
        for (let c = 0; c <= a; c++) {
          A[d + c * p + a] = acc[c * p + a]!;
          A[d + a * p + c] = acc[c * p + a]!;
        }
    }
  }

  /**
   * Writes Lambda'A Lambda + I (identity on the random-effects nodes only)
   * into the factor and factors it.  Returns -1 on success or the failing node.
   */
  factor(lambdas: readonly Float64Array[]): number {
    const re = this.re;
    const { nNodes, sizes, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const A = this.A;
    const L = this.chol.values;
    const nZ = re.nNodes;
    if (this.allScalar) return this.factorScalar(lambdas);
    const termOf = (node: number): number => {
      // Terms are few; a linear scan is cheaper than a lookup table per node.
      let t = 0;
      while (node >= re.nodeBase[t + 1]!) t++;
      return t;
    };
    for (let j = 0; j < nNodes; j++) {
      const sj = sizes[j]!;
      const tj = j < nZ ? termOf(j) : -1;
      const Lj = tj >= 0 ? lambdas[tj]! : null;
      const d = diagOffset[j]!;
      if (Lj) {
        scaleBoth(A, d, Lj, sj, Lj, sj, L, d, this.scratch);
        for (let c = 0; c < sj; c++) L[d + c * sj + c]! += 1;
      } else {
        L.set(A.subarray(d, d + sj * sj), d);
      }
      for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        const si = sizes[i]!;
        const o = blockOffset[b]!;
        const Li = i < nZ ? lambdas[termOf(i)]! : null;
        scaleBoth(A, o, Li, si, Lj, sj, L, o, this.scratch);
      }
    }
    return this.chol.factor();
  }

  /**
   * `factor` when every term is scalar (random intercepts, crossed or
   * nested): each Lambda_t is a number, so every block is scaled in place
   * without the general k x k products or a call per block.  The products
   * are formed in scaleBoth's order, so both paths agree to the bit.
   */
  private factorScalar(lambdas: readonly Float64Array[]): number {
    const { nNodes, sizes, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const A = this.A;
    const L = this.chol.values;
    const nZ = this.re.nNodes;
    const lam = this.lambdaScalars;
    for (let t = 0; t < lam.length; t++) lam[t] = lambdas[t]![0]!;
    if (this.tailScale.length > 0) {
      // The dense tail is scaled as it is written (one contiguous pass); only
      // the sparse columns go through the blocks.  The fixed-effects node is
      // in the tail, being last.
      if (!this.tailImageCurrent) {
        this.tailImage = this.chol.denseTailImage(A, this.tailImage);
        this.tailImageCurrent = true;
      }
      const scale = this.tailScale;
      const term = this.tailTerm;
      for (let r = 0; r < scale.length; r++) if (term[r]! >= 0) scale[r] = lam[term[r]!]!;
      scaleScalarNodes(A, L, this.pattern.denseStart, lam, this.nodeTerm, sizes, colPtr, rowIdx, diagOffset, blockOffset, nZ);
      return this.chol.factorWithScaledTail(this.tailImage, scale, this.tailShift);
    }
    scaleScalarNodes(A, L, nZ, lam, this.nodeTerm, sizes, colPtr, rowIdx, diagOffset, blockOffset, nZ);
    // The fixed-effects node is last: its diagonal block is copied unscaled.
    for (let j = nZ; j < nNodes; j++) {
      const sj = sizes[j]!;
      const d = diagOffset[j]!;
      L.set(A.subarray(d, d + sj * sj), d);
    }
    return this.chol.factor();
  }

  /**
   * out = A x for the cross-products A = [Z X]'W[Z X] (unscaled, symmetric;
   * vectors laid out as the factor's rows): one pass over the pattern's
   * blocks, each used both ways.
   */
  crossProductTimes(x: Float64Array, out: Float64Array): Float64Array {
    const { nNodes, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset } = this.pattern;
    const A = this.A;
    out.fill(0);
    for (let j = 0; j < nNodes; j++) {
      const sj = sizes[j]!;
      const xj = nodeStart[j]!;
      const d = diagOffset[j]!;
      for (let c = 0; c < sj; c++) {
        const v = x[xj + c]!;
        for (let r = 0; r < sj; r++) out[xj + r]! += A[d + c * sj + r]! * v;
      }
      for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
        const i = rowIdx[b]!;
        const si = sizes[i]!;
        const xi = nodeStart[i]!;
        const o = blockOffset[b]!;
        for (let c = 0; c < sj; c++) {
          const v = x[xj + c]!;
          let back = 0;
          for (let r = 0; r < si; r++) {
            const a = A[o + c * si + r]!;
            out[xi + r]! += a * v;
            back += a * x[xi + r]!;
          }
          out[xj + c]! += back;
        }
      }
    }
    return out;
  }

  /** log det(Lambda'Z'WZ Lambda + I) from the current factor. */
  logDetZ(): number {
    return this.chol.logDet(0, this.re.nNodes);
  }

  /** log det(R_X' R_X) (fixed-effects Schur complement) from the current factor. */
  logDetX(): number {
    return this.xNode >= 0 ? this.chol.logDet(this.xNode, this.xNode + 1) : 0;
  }
}

/*
 * The two row-free loops below are module functions whose loop is all there
 * is: V8 compiles a long loop on the stack before the code after it has run,
 * and code after the loop without type feedback then deoptimises on every
 * call (here, once per fit for ever).
 */

/** Copies the per-level sums of the scalar-term pass into A's blocks and Z'Wr (when zty is not empty). */
function scatterLevelSums(
  G: Float64Array,
  stride: number,
  nl: number,
  p: number,
  hasX: boolean,
  A: Float64Array,
  diagOffset: Int32Array,
  xBlock: Int32Array,
  zty: Float64Array,
): void {
  const withY = zty.length > 0;
  for (let j = 0; j < nl; j++) {
    const o = j * stride;
    A[diagOffset[j]!] = G[o]!;
    if (hasX) {
      const xb = xBlock[j]!;
      for (let a = 0; a < p; a++) A[xb + a] = G[o + 1 + a]!;
    }
    if (withY) zty[j] = G[o + 1 + p]!;
  }
}

/** Random-effects columns [0, upto) of Lambda'A Lambda + I when every Lambda_t is a number (nZ: the random-effects nodes). */
function scaleScalarNodes(
  A: Float64Array,
  L: Float64Array,
  upto: number,
  lam: Float64Array,
  nodeTerm: Int32Array,
  sizes: Int32Array,
  colPtr: Int32Array,
  rowIdx: Int32Array,
  diagOffset: Int32Array,
  blockOffset: Int32Array,
  nZ: number,
): void {
  for (let j = 0; j < upto; j++) {
    const l = lam[nodeTerm[j]!]!;
    const d = diagOffset[j]!;
    L[d] = A[d]! * l * l + 1;
    for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
      const i = rowIdx[b]!;
      const o = blockOffset[b]!;
      if (i < nZ) L[o] = A[o]! * lam[nodeTerm[i]!]! * l;
      else for (let e = 0, si = sizes[i]!; e < si; e++) L[o + e] = A[o + e]! * l;
    }
  }
}

/**
 * out = Li' A Lj for an si x sj block A (Li, Lj lower-triangular, or null for
 * the identity).  Scalar blocks, by far the most common, take the short path.
 */
function scaleBoth(
  A: Float64Array,
  ao: number,
  Li: Float64Array | null,
  si: number,
  Lj: Float64Array | null,
  sj: number,
  out: Float64Array,
  oo: number,
  tmp: Float64Array,
): void {
  if (si === 1 && sj === 1) {
    out[oo] = A[ao]! * (Li ? Li[0]! : 1) * (Lj ? Lj[0]! : 1);
    return;
  }
  // tmp = A Lj  (si x sj)
  for (let c = 0; c < sj; c++)
    for (let r = 0; r < si; r++) {
      let s: number;
      if (Lj) {
        s = 0;
        for (let m = c; m < sj; m++) s += A[ao + m * si + r]! * Lj[c * sj + m]!;
      } else s = A[ao + c * si + r]!;
      tmp[c * si + r] = s;
    }
  // out = Li' tmp
  for (let c = 0; c < sj; c++)
    for (let r = 0; r < si; r++) {
      let s: number;
      if (Li) {
        s = 0;
        for (let m = r; m < si; m++) s += Li[r * si + m]! * tmp[c * si + m]!;
      } else s = tmp[c * si + r]!;
      out[oo + c * si + r] = s;
    }
}

/** Rows grouped by level (a counting sort): the rows of level a are order[start[a] .. start[a + 1]). */
interface RowsByLevel {
  readonly start: Int32Array;
  readonly order: Int32Array;
}

function rowsByLevel(index: Int32Array, levels: number): RowsByLevel {
  const start = new Int32Array(levels + 1);
  for (let r = 0; r < index.length; r++) start[index[r]! + 1]!++;
  for (let a = 0; a < levels; a++) start[a + 1]! += start[a]!;
  const fill = start.slice(0, levels);
  const order = new Int32Array(index.length);
  for (let r = 0; r < index.length; r++) order[fill[index[r]!]!++] = r;
  return { start, order };
}

/** The distinct pairs (first[k], second[k]) of levels of two terms that share a row, and each row's pair. */
interface LevelPairs {
  readonly count: number;
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly pairOfRow: Int32Array;
}

/**
 * The level pairs of a term whose rows are grouped by level (`grouped`) and
 * another term (`second`, `levels2` levels): within one level of the first,
 * a marker per level of the second finds the new pairs, with no hashing.
 */
function levelPairs(grouped: RowsByLevel, second: Int32Array, levels2: number): LevelPairs {
  const { start, order } = grouped;
  const n = second.length;
  const mark = new Int32Array(levels2).fill(-1);
  const pairOfLevel = new Int32Array(levels2);
  const pairOfRow = new Int32Array(n);
  const first = new Int32Array(n);
  const secondLevel = new Int32Array(n);
  let count = 0;
  for (let a = 0; a + 1 < start.length; a++)
    for (let k = start[a]!; k < start[a + 1]!; k++) {
      const r = order[k]!;
      const b = second[r]!;
      if (mark[b] !== a) {
        mark[b] = a;
        first[count] = a;
        secondLevel[count] = b;
        pairOfLevel[b] = count++;
      }
      pairOfRow[r] = pairOfLevel[b]!;
    }
  return { count, first: first.slice(0, count), second: secondLevel.slice(0, count), pairOfRow };
}
