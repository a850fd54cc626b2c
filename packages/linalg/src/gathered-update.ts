/**
 * Symmetric rank-k update of a dense lower triangle at gathered rows:
 * T[pos[r], pos[c]] -= sum_k val[k * cnt + r] * val[k * cnt + c] for r >= c,
 * T column-major with leading dimension m and `pos` ascending.
 *
 * This is the Schur-complement update a group of sparse columns with the
 * same rows makes to the dense tail of the block Cholesky (tail-update.ts):
 * their blocks, expanded to one entry per scalar row, are gathered once so
 * the update runs over flat arrays instead of per block pair (whose per-pair
 * size dispatch dominated the cost).
 */
export function gatheredRankUpdate(
  T: Float64Array,
  m: number,
  pos: Int32Array,
  val: Float64Array,
  cnt: number,
  rank: number,
): void {
  if (cnt === 0) return;
  // Rows that form one contiguous run (a level crossed with every level of
  // the tail) get unit-stride inner loops without the position indirection.
  const contiguous = pos[cnt - 1]! - pos[0]! === cnt - 1;
  if (rank === 1) {
    if (contiguous) {
      const first = pos[0]!;
      for (let c = 0; c < cnt; c++) {
        const col = (first + c) * m + first;
        const vc = val[c]!;
        if (vc === 0) continue;
        for (let r = c; r < cnt; r++) T[col + r]! -= val[r]! * vc;
      }
    } else {
      for (let c = 0; c < cnt; c++) {
        const col = pos[c]! * m;
        const vc = val[c]!;
        if (vc === 0) continue;
        for (let r = c; r < cnt; r++) T[col + pos[r]!]! -= val[r]! * vc;
      }
    }
    return;
  }
  // Rank > 1 (a tail group or a random-slope node): four gathered columns per
  // pass and two target columns at a time, so each target element is loaded
  // and stored once per four products instead of once per product.
  let k = 0;
  for (; k + 3 < rank; k += 4) {
    const o0 = k * cnt;
    const o1 = o0 + cnt;
    const o2 = o1 + cnt;
    const o3 = o2 + cnt;
    let c = 0;
    for (; c + 1 < cnt; c += 2) {
      const col0 = pos[c]! * m;
      const col1 = pos[c + 1]! * m;
      const p0 = val[o0 + c]!;
      const p1 = val[o1 + c]!;
      const p2 = val[o2 + c]!;
      const p3 = val[o3 + c]!;
      const q0 = val[o0 + c + 1]!;
      const q1 = val[o1 + c + 1]!;
      const q2 = val[o2 + c + 1]!;
      const q3 = val[o3 + c + 1]!;
      T[col0 + pos[c]!]! -= p0 * p0 + p1 * p1 + p2 * p2 + p3 * p3;
      for (let r = c + 1; r < cnt; r++) {
        const x0 = val[o0 + r]!;
        const x1 = val[o1 + r]!;
        const x2 = val[o2 + r]!;
        const x3 = val[o3 + r]!;
        const pr = pos[r]!;
        T[col0 + pr]! -= p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3;
        T[col1 + pr]! -= q0 * x0 + q1 * x1 + q2 * x2 + q3 * x3;
      }
    }
    if (c < cnt) {
      const p0 = val[o0 + c]!;
      const p1 = val[o1 + c]!;
      const p2 = val[o2 + c]!;
      const p3 = val[o3 + c]!;
      T[pos[c]! * m + pos[c]!]! -= p0 * p0 + p1 * p1 + p2 * p2 + p3 * p3;
    }
  }
  for (; k < rank; k++) {
    const o0 = k * cnt;
    for (let c = 0; c < cnt; c++) {
      const col = pos[c]! * m;
      const p = val[o0 + c]!;
      if (p === 0) continue;
      for (let r = c; r < cnt; r++) T[col + pos[r]!]! -= val[o0 + r]! * p;
    }
  }
}
