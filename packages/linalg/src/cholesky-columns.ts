/**
 * The unblocked (left-looking, column-oriented) Cholesky kernel: the whole
 * factorisation of small matrices, and the panel step of the blocked one.
 */

/**
 * Factors columns [from, to) of the rows x rows column-major matrix at `off`
 * (leading dimension ld), given that the updates from columns before `from`
 * have already been applied (the whole matrix when from = 0; one panel of a
 * blocked factorisation otherwise).  Returns -1 or the failing column.
 * zeroAbove clears each finished column above its diagonal (the blocked
 * factorisation does that while copying out instead).
 */
export function factorColumns(
  a: Float64Array,
  ld: number,
  rows: number,
  off: number,
  from: number,
  to: number,
  zeroAbove = true,
): number {
  // Column-oriented (gaxpy) form, two target columns and four source columns at
  // a time: every source element is loaded once per two targets and each target
  // element stored once per four sources, which is what limits speed in JS.
  const n = rows;
  let j = from;
  for (; j + 1 < to; j += 2) {
    const c0 = off + j * ld;
    const c1 = c0 + ld;
    let k = from;
    for (; k + 3 < j; k += 4) {
      const s0 = off + k * ld;
      const s1 = s0 + ld;
      const s2 = s1 + ld;
      const s3 = s2 + ld;
      const p0 = a[s0 + j]!;
      const p1 = a[s1 + j]!;
      const p2 = a[s2 + j]!;
      const p3 = a[s3 + j]!;
      const q0 = a[s0 + j + 1]!;
      const q1 = a[s1 + j + 1]!;
      const q2 = a[s2 + j + 1]!;
      const q3 = a[s3 + j + 1]!;
      if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && q0 === 0 && q1 === 0 && q2 === 0 && q3 === 0) continue;
      a[c0 + j]! -= p0 * p0 + p1 * p1 + p2 * p2 + p3 * p3;
      for (let i = j + 1; i < n; i++) {
        const x0 = a[s0 + i]!;
        const x1 = a[s1 + i]!;
        const x2 = a[s2 + i]!;
        const x3 = a[s3 + i]!;
        a[c0 + i]! -= p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3;
        a[c1 + i]! -= q0 * x0 + q1 * x1 + q2 * x2 + q3 * x3;
      }
    }
    for (; k < j; k++) {
      const sk = off + k * ld;
      const p = a[sk + j]!;
      const q = a[sk + j + 1]!;
      if (p === 0 && q === 0) continue;
      a[c0 + j]! -= p * p;
      for (let i = j + 1; i < n; i++) {
        const x = a[sk + i]!;
        a[c0 + i]! -= p * x;
        a[c1 + i]! -= q * x;
      }
    }
    if (!finishColumn(a, ld, n, off, j, zeroAbove)) return j;
    // Column j + 1 still needs column j, which is final now.
    const p = a[c0 + j + 1]!;
    if (p !== 0) for (let i = j + 1; i < n; i++) a[c1 + i]! -= p * a[c0 + i]!;
    if (!finishColumn(a, ld, n, off, j + 1, zeroAbove)) return j + 1;
  }
  if (j < to) {
    const cj = off + j * ld;
    for (let k = from; k < j; k++) {
      const sk = off + k * ld;
      const p = a[sk + j]!;
      if (p === 0) continue;
      for (let i = j; i < n; i++) a[cj + i]! -= p * a[sk + i]!;
    }
    if (!finishColumn(a, ld, n, off, j, zeroAbove)) return j;
  }
  return -1;
}

/** Takes the square root of column j's pivot, scales the column below it and (zeroAbove) zeroes above it. */
function finishColumn(a: Float64Array, ld: number, n: number, off: number, j: number, zeroAbove: boolean): boolean {
  const cj = off + j * ld;
  const d = a[cj + j]!;
  if (!(d > 0)) return false;
  const ljj = Math.sqrt(d);
  a[cj + j] = ljj;
  const inv = 1 / ljj;
  for (let i = j + 1; i < n; i++) a[cj + i]! *= inv;
  if (zeroAbove) for (let i = 0; i < j; i++) a[cj + i] = 0;
  return true;
}
