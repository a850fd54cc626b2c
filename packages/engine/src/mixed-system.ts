import { BlockCholesky, findBlock, symbolicBlockCholesky, type BlockPattern } from '@glmm/linalg';
import type { RandomEffectsStructure } from './random-effects.js';

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
    const n = model.n;
    const lower: number[][] = Array.from({ length: nNodes }, () => []);
    for (let t1 = 0; t1 < T; t1++) {
      for (let t2 = t1 + 1; t2 < T; t2++) {
        const i1 = re.terms[t1]!.index;
        const i2 = re.terms[t2]!.index;
        const b1 = re.nodeBase[t1]!;
        const b2 = re.nodeBase[t2]!;
        const seen = new Set<number>();
        const l2 = re.levels[t2]!;
        for (let r = 0; r < n; r++) {
          const key = i1[r]! * l2 + i2[r]!;
          if (!seen.has(key)) {
            seen.add(key);
            lower[b1 + i1[r]!]!.push(b2 + i2[r]!);
          }
        }
      }
    }
    if (hasXNode) for (let j = 0; j < nZ; j++) lower[j]!.push(nZ);
    this.pattern = symbolicBlockCholesky(sizes, lower);
    this.chol = new BlockCholesky(this.pattern);
    this.A = new Float64Array(this.pattern.nValues);

    for (let t1 = 0; t1 < T; t1++) {
      for (let t2 = t1 + 1; t2 < T; t2++) {
        const i1 = re.terms[t1]!.index;
        const i2 = re.terms[t2]!.index;
        const b1 = re.nodeBase[t1]!;
        const b2 = re.nodeBase[t2]!;
        const offsets = new Int32Array(n);
        const cache = new Map<number, number>();
        const l2 = re.levels[t2]!;
        for (let r = 0; r < n; r++) {
          const key = i1[r]! * l2 + i2[r]!;
          let off = cache.get(key);
          if (off === undefined) {
            off = this.pattern.blockOffset[findBlock(this.pattern, b2 + i2[r]!, b1 + i1[r]!)]!;
            cache.set(key, off);
          }
          offsets[r] = off;
        }
        this.pairOffsets.push({ t1, t2, offsets });
      }
    }
    this.xBlock = new Int32Array(nZ);
    if (hasXNode) for (let j = 0; j < nZ; j++) this.xBlock[j] = this.pattern.blockOffset[findBlock(this.pattern, nZ, j)]!;
    let maxK = 1;
    for (let t = 0; t < T; t++) maxK = Math.max(maxK, re.k[t]!);
    this.scratch = new Float64Array(Math.max(maxK, this.p) * Math.max(maxK, this.p));
  }

  /** Accumulates A = [Z X]' diag(w) [Z X] (lower blocks) in one pass over the rows. */
  accumulate(w: Float64Array): void {
    const A = this.A;
    A.fill(0);
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

  /** log det(Lambda'Z'WZ Lambda + I) from the current factor. */
  logDetZ(): number {
    return this.chol.logDet(0, this.re.nNodes);
  }

  /** log det(R_X' R_X) (fixed-effects Schur complement) from the current factor. */
  logDetX(): number {
    return this.xNode >= 0 ? this.chol.logDet(this.xNode, this.xNode + 1) : 0;
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
