/** Unit roundoff of double precision. */
const U = Number.EPSILON / 2;

/** Rows per block of the cross-product sums: partial sums keep the rounding error near (B + n/B) u. */
const BLOCK = 1024;

/** With at least this many blocks, the first try uses every SAMPLE_EVERY-th block for the off-diagonal sums. */
const SAMPLE_FROM_BLOCKS = 64;
const SAMPLE_EVERY = 8;

/** Gram entries outside this range could over- or underflow in the scaling below. */
const SAFE_MIN = 1e-200;
const SAFE_MAX = 1e200;

interface CrossProducts {
  /** X_S'X_S over the sampled row blocks S: row-major p x p, lower triangle. */
  readonly sampled: Float64Array;
  /** Squared column norms over all rows. */
  readonly norms2: Float64Array;
  readonly blocks: number;
  readonly sampledBlocks: number;
}

/** Adds the lower triangle of X'X over rows [start, end) to G. */
function addBlockProducts(X: Float64Array, n: number, p: number, start: number, end: number, G: Float64Array): void {
  for (let a = 0; a < p; a++) {
    const oa = a * n;
    let b = 0;
    // Two products per pass share the loads of column a (b + 1 <= a, the diagonal included).
    for (; b < a; b += 2) {
      const ob = b * n;
      const oc = ob + n;
      let s = 0;
      let t = 0;
      for (let i = start; i < end; i++) {
        const x = X[oa + i] as number;
        s += x * (X[ob + i] as number);
        t += x * (X[oc + i] as number);
      }
      G[a * p + b] = (G[a * p + b] as number) + s;
      G[a * p + b + 1] = (G[a * p + b + 1] as number) + t;
    }
    if (b === a) {
      let s = 0;
      for (let i = start; i < end; i++) s += (X[oa + i] as number) * (X[oa + i] as number);
      G[a * p + a] = (G[a * p + a] as number) + s;
    }
  }
}

/** One pass over the rows: all squared norms, and the cross products over every `every`-th block. */
function crossProducts(X: Float64Array, n: number, p: number, every: number): CrossProducts {
  const sampled = new Float64Array(p * p);
  const norms2 = new Float64Array(p);
  const part = new Float64Array(p * p);
  const blocks = Math.ceil(n / BLOCK);
  let sampledBlocks = 0;
  for (let k = 0; k < blocks; k++) {
    const start = k * BLOCK;
    const end = Math.min(n, start + BLOCK);
    if (k % every === 0) {
      addSampledBlock(X, n, p, start, end, part, sampled, norms2);
      sampledBlocks++;
    } else addBlockNorms(X, n, p, start, end, norms2);
  }
  return { sampled, norms2, blocks, sampledBlocks };
}

/** A sampled block: its cross products into `sampled`, its squared norms (the diagonal) into norms2. */
function addSampledBlock(
  X: Float64Array,
  n: number,
  p: number,
  start: number,
  end: number,
  part: Float64Array,
  sampled: Float64Array,
  norms2: Float64Array,
): void {
  part.fill(0);
  addBlockProducts(X, n, p, start, end, part);
  for (let k = 0; k < p * p; k++) sampled[k] = (sampled[k] as number) + (part[k] as number);
  for (let a = 0; a < p; a++) norms2[a] = (norms2[a] as number) + (part[a * p + a] as number);
}

/**
 * Adds the squared norms of the block's columns to norms2. Four running sums
 * instead of one: a single chain of additions waits for each addition in
 * turn, and is four times slower. Any order of adding the block's positive
 * terms keeps the error within the (BLOCK - 1) u the bounds allow for.
 */
function addBlockNorms(X: Float64Array, n: number, p: number, start: number, end: number, norms2: Float64Array): void {
  for (let a = 0; a < p; a++) {
    const oa = a * n;
    const m = start + ((end - start) & ~3);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = oa + start; i < oa + m; i += 4) {
      const x0 = X[i] as number;
      const x1 = X[i + 1] as number;
      const x2 = X[i + 2] as number;
      const x3 = X[i + 3] as number;
      s0 += x0 * x0;
      s1 += x1 * x1;
      s2 += x2 * x2;
      s3 += x3 * x3;
    }
    for (let i = oa + m; i < oa + end; i++) s0 += (X[i] as number) * (X[i] as number);
    norms2[a] = (norms2[a] as number) + (s0 + s1 + (s2 + s3));
  }
}

/**
 * Whether every column j of X provably keeps more than `minRatio` of its
 * norm after projecting out the columns before it (the quantity the
 * Gram-Schmidt rank check compares with its tolerance). False means "not
 * proven", never "aliased".
 *
 * The residual of column j over all rows is at least its residual over any
 * subset S of the rows (restricted to S, the full fit is one candidate fit),
 * so ratio_j^2 >= pivot_j(S) |x_j,S|^2 / |x_j|^2, where pivot_j(S) is the
 * Cholesky pivot of the correlation matrix of X_S. The first try uses a
 * sample of the row blocks for the cross products, which is cheaper; if
 * that does not prove it, all rows are used.
 */
export function provablyFullRank(X: Float64Array, n: number, p: number, minRatio: number): boolean {
  if (p === 0) return true;
  const blocks = Math.ceil(n / BLOCK);
  if (blocks >= SAMPLE_FROM_BLOCKS && provenWith(X, n, p, minRatio, SAMPLE_EVERY)) return true;
  return provenWith(X, n, p, minRatio, 1);
}

function provenWith(X: Float64Array, n: number, p: number, minRatio: number, every: number): boolean {
  const { sampled: G, norms2, blocks, sampledBlocks } = crossProducts(X, n, p, every);
  const scale = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    const d = G[a * p + a] as number;
    if (!(d >= SAFE_MIN && d <= SAFE_MAX)) return false;
    scale[a] = 1 / Math.sqrt(d);
  }
  // Relative error bounds: g elementwise for the correlation matrix C (rounding of the
  // blocked sums, of the diagonal used to scale, and of the scaling); gn for the full norms.
  const g = 2 * (BLOCK + sampledBlocks + 8) * U;
  const gn = (BLOCK + blocks + 4) * U;
  const L = new Float64Array(p * p);
  /** W = L^-1, lower triangular. */
  const W = new Float64Array(p * p);
  const l = new Float64Array(p);
  let inverseNorm2 = 0;
  for (let j = 0; j < p; j++) {
    // l = L11^-1 c, c = C[j, 0..j-1].
    let ll = 0;
    for (let k = 0; k < j; k++) {
      let v = (G[j * p + k] as number) * (scale[j] as number) * (scale[k] as number);
      for (let m = 0; m < k; m++) v -= (L[k * p + m] as number) * (l[m] as number);
      v /= L[k * p + k] as number;
      l[k] = v;
      ll += v * v;
    }
    const cjj = (G[j * p + j] as number) * (scale[j] as number) * (scale[j] as number);
    const pivot = cjj - ll;
    // To first order a perturbation |dC| <= g moves the pivot by at most g (1 + |b|_1)^2,
    // b = C11^-1 c = W11' l the coefficients of column j on the earlier ones.
    let b1 = 0;
    for (let m = 0; m < j; m++) {
      let v = 0;
      for (let k = m; k < j; k++) v += (W[k * p + m] as number) * (l[k] as number);
      b1 += Math.abs(v);
    }
    const lowerPivot = pivot - 2 * g * (1 + b1) * (1 + b1);
    const share = ((G[j * p + j] as number) / (norms2[j] as number)) * (1 - gn);
    if (!(lowerPivot * share >= minRatio * minRatio)) return false;
    const ljj = Math.sqrt(pivot);
    for (let k = 0; k < j; k++) L[j * p + k] = l[k] as number;
    L[j * p + j] = ljj;
    // Row j of L^-1: W[j, m] = -(sum_k l_k W[k, m]) / l_jj for m < j.
    for (let m = 0; m < j; m++) {
      let v = 0;
      for (let k = m; k < j; k++) v += (l[k] as number) * (W[k * p + m] as number);
      W[j * p + m] = -v / ljj;
      inverseNorm2 += (v / ljj) * (v / ljj);
    }
    W[j * p + j] = 1 / ljj;
    inverseNorm2 += 1 / pivot;
    // ||C^-1||_2 <= ||W||_F^2; beyond this the first-order bound above is not to be trusted.
    if (inverseNorm2 * p * g > 1e-3) return false;
  }
  return true;
}
