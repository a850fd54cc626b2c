import type { BlockPattern } from './block-pattern.js';

/**
 * Takahashi recurrences for the sparse part of a selected inverse: with
 * A_11 = L_11 L_11' the leading principal submatrix on nodes [0, upto) and
 * Z = A_11^{-1}, for node j (pattern rows P below it, U = L_Pj L_jj^{-1})
 *
 *   Z_Pj = -Z_PP U,        Z_jj = (L_jj L_jj')^{-1} - U' Z_Pj,
 *
 * taken from the last sparse node back to the first.  Z_PP lies on the
 * pattern of L (the rows of a column form a clique of the filled graph), so
 * it is read from the Z blocks already computed or, for rows in the dense
 * tail, from the tail's inverse M: each node costs |P|^2 work, however its
 * elimination path runs through the rest of the factor.
 *
 * Writes Z_jj (s_j x s_j column-major) at out[outStart[j]] for every j below
 * min(denseStart, upto), and returns Z on those columns' blocks in the
 * layout of `v` (the array runs to the first tail column's blocks).  M is
 * the lower triangle of (L_TT L_TT')^{-1} for the tail's rows below upto
 * (mz of them), column-major mz x mz.
 */
export function sparseSelectedInverse(
  pattern: BlockPattern,
  v: Float64Array,
  upto: number,
  M: Float64Array,
  mz: number,
  out: Float64Array,
  outStart: Int32Array,
): Float64Array {
  const { nNodes, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset, denseStart } = pattern;
  const K = Math.min(denseStart, upto);
  const t0 = nodeStart[denseStart]!;
  // Z on the sparse columns' blocks, in the layout of `values` (which puts
  // every sparse column's blocks before the tail's: only those are written or read).
  const Z = new Float64Array(K < nNodes ? diagOffset[K]! : pattern.nValues);
  const scatter = new Int32Array(nNodes).fill(-1);
  // Scratch sized for the longest column (rows below upto) and widest node.
  let longest = 0;
  let widest = 1;
  for (let j = 0; j < K; j++) {
    let r = 0;
    for (let b = colPtr[j]!; b < colPtr[j + 1]! && rowIdx[b]! < upto; b++) r += sizes[rowIdx[b]!]!;
    longest = Math.max(longest, r);
    widest = Math.max(widest, sizes[j]!);
  }
  const zpp = new Float64Array(longest * longest);
  const U = new Float64Array(longest * widest);
  const W = new Float64Array(longest * widest);
  const rowAt = new Int32Array(longest + 1);
  const tailRow = new Int32Array(longest);
  const diagInv = new Float64Array(widest * widest);

  /**
   * The common case, a scalar node whose rows are all scalar nodes: u = l / l_jj
   * and W = Z_PP u accumulated straight from Z and M over the pairs of rows
   * (each read once, by symmetry) without forming Z_PP.
   */
  const u = new Float64Array(longest);
  /** Tail position of each row of the current column, from its first tail row on. */
  const tailPos = new Int32Array(longest);
  const scalarStep = (j: number, b0: number, nb: number): void => {
    const dj = diagOffset[j]!;
    const ljj = v[dj]!;
    for (let p = 0; p < nb; p++) {
      u[p] = v[blockOffset[b0 + p]!]! / ljj;
      W[p] = 0;
    }
    for (let p2 = 0; p2 < nb; p2++) {
      const i2 = rowIdx[b0 + p2]!;
      const u2 = u[p2]!;
      let s = 0;
      if (i2 >= denseStart) {
        // Rows ascend, so every later row is in the tail too.  Their positions
        // once, so the inner loop reads M without a chain of index loads.
        if (p2 === 0 || rowIdx[b0 + p2 - 1]! < denseStart) for (let p = p2; p < nb; p++) tailPos[p] = nodeStart[rowIdx[b0 + p]!]! - t0;
        const col = tailPos[p2]! * mz;
        s = M[col + tailPos[p2]!]! * u2;
        for (let p1 = p2 + 1; p1 < nb; p1++) {
          const z = M[col + tailPos[p1]!]!;
          W[p1]! += z * u2;
          s += z * u[p1]!;
        }
      } else {
        for (let bb = colPtr[i2]!; bb < colPtr[i2 + 1]!; bb++) scatter[rowIdx[bb]!] = blockOffset[bb]!;
        s = Z[diagOffset[i2]!]! * u2;
        for (let p1 = p2 + 1; p1 < nb; p1++) {
          const z = Z[scatter[rowIdx[b0 + p1]!]!]!;
          W[p1]! += z * u2;
          s += z * u[p1]!;
        }
      }
      W[p2]! += s;
    }
    let zjj = 1 / (ljj * ljj);
    for (let p = 0; p < nb; p++) {
      Z[blockOffset[b0 + p]!] = -W[p]!;
      zjj += u[p]! * W[p]!;
    }
    Z[dj] = zjj;
    out[outStart[j]!] = zjj;
  };

  for (let j = K - 1; j >= 0; j--) {
    const sj = sizes[j]!;
    const dj = diagOffset[j]!;
    const b0 = colPtr[j]!;
    let b1 = b0;
    while (b1 < colPtr[j + 1]! && rowIdx[b1]! < upto) b1++;
    const nb = b1 - b0;
    rowAt[0] = 0;
    for (let t = 0; t < nb; t++) rowAt[t + 1] = rowAt[t]! + sizes[rowIdx[b0 + t]!]!;
    const r = rowAt[nb]!;
    if (sj === 1 && r === nb) {
      scalarStep(j, b0, nb);
      continue;
    }

    // U = L_Pj L_jj^{-1}, row by row: u L_jj = l, by back substitution.
    for (let t = 0; t < nb; t++) {
      const si = sizes[rowIdx[b0 + t]!]!;
      const off = blockOffset[b0 + t]!;
      const ra = rowAt[t]!;
      for (let q = 0; q < si; q++)
        for (let c = sj - 1; c >= 0; c--) {
          let s = v[off + c * si + q]!;
          for (let k = c + 1; k < sj; k++) s -= U[k * r + ra + q]! * v[dj + c * sj + k]!;
          U[c * r + ra + q] = s / v[dj + c * sj + c]!;
        }
    }

    if (nb > 0 && rowIdx[b0]! >= denseStart) {
      // Every row in the dense tail (rows ascend): W = M_PP U straight from
      // M, each of its entries read once for both of its places, without
      // gathering Z_PP.
      let at = 0;
      for (let t = 0; t < nb; t++) {
        const i = rowIdx[b0 + t]!;
        for (let q = 0; q < sizes[i]!; q++) tailRow[at++] = nodeStart[i]! - t0 + q;
      }
      tailProduct(M, mz, tailRow, r, U, W, sj);
    } else {
      // Z_PP, full symmetric r x r.
      for (let t2 = 0; t2 < nb; t2++) {
        const i2 = rowIdx[b0 + t2]!;
        const s2 = sizes[i2]!;
        const r2 = rowAt[t2]!;
        if (i2 < denseStart) for (let bb = colPtr[i2]!; bb < colPtr[i2 + 1]!; bb++) scatter[rowIdx[bb]!] = blockOffset[bb]!;
        for (let t1 = t2; t1 < nb; t1++) {
          const i1 = rowIdx[b0 + t1]!;
          const s1 = sizes[i1]!;
          const r1 = rowAt[t1]!;
          for (let c = 0; c < s2; c++)
            for (let q = 0; q < s1; q++) {
              let z: number;
              if (i2 >= denseStart) {
                // Both in the tail: M's lower triangle holds (row >= column).
                const a = nodeStart[i1]! - t0 + q;
                const b = nodeStart[i2]! - t0 + c;
                z = a >= b ? M[b * mz + a]! : M[a * mz + b]!;
              } else if (i1 === i2) z = Z[diagOffset[i2]! + c * s2 + q]!;
              else z = Z[scatter[i1]! + c * s1 + q]!;
              zpp[(r2 + c) * r + r1 + q] = z;
              zpp[(r1 + q) * r + r2 + c] = z;
            }
        }
      }

      // W = Z_PP U.
      for (let c = 0; c < sj; c++)
        for (let p = 0; p < r; p++) {
          let s = 0;
          const zp = p * r;
          for (let q = 0; q < r; q++) s += zpp[zp + q]! * U[c * r + q]!;
          W[c * r + p] = s;
        }
    }
    // Z_Pj = -W into the blocks of column j.
    for (let t = 0; t < nb; t++) {
      const si = sizes[rowIdx[b0 + t]!]!;
      const off = blockOffset[b0 + t]!;
      const ra = rowAt[t]!;
      for (let c = 0; c < sj; c++) for (let q = 0; q < si; q++) Z[off + c * si + q] = -W[c * r + ra + q]!;
    }

    // Z_jj = (L_jj L_jj')^{-1} + U' W.
    choleskyBlockInverse(v, sj, dj, diagInv);
    const o = outStart[j]!;
    for (let c2 = 0; c2 < sj; c2++)
      for (let c1 = 0; c1 < sj; c1++) {
        let s = diagInv[c2 * sj + c1]!;
        for (let p = 0; p < r; p++) s += U[c1 * r + p]! * W[c2 * r + p]!;
        Z[dj + c2 * sj + c1] = s;
        out[o + c2 * sj + c1] = s;
      }
  }
  return Z;
}

/**
 * W (r x w) = M_PP U for the rows P at tail positions pos (ascending), M the
 * lower triangle of the tail's inverse (mz x mz): entry (p1, p2), p1 >= p2,
 * read once and used for row p1 and, off the diagonal, row p2.
 */
function tailProduct(M: Float64Array, mz: number, pos: Int32Array, r: number, U: Float64Array, W: Float64Array, w: number): void {
  W.fill(0, 0, r * w);
  for (let c = 0; c < w; c += 2) {
    // Two columns of U at a time, row p2's sums held in registers.
    const two = c + 1 < w;
    const u0 = c * r;
    const u1 = two ? u0 + r : u0;
    for (let p2 = 0; p2 < r; p2++) {
      const col = pos[p2]! * mz;
      const a0 = U[u0 + p2]!;
      const a1 = two ? U[u1 + p2]! : 0;
      const zd = M[col + pos[p2]!]!;
      let s0 = zd * a0;
      let s1 = zd * a1;
      for (let p1 = p2 + 1; p1 < r; p1++) {
        const z = M[col + pos[p1]!]!;
        W[u0 + p1]! += z * a0;
        s0 += z * U[u0 + p1]!;
        if (two) {
          W[u1 + p1]! += z * a1;
          s1 += z * U[u1 + p1]!;
        }
      }
      W[u0 + p2]! += s0;
      if (two) W[u1 + p2]! += s1;
    }
  }
}

/** (L L')^{-1} of the small s x s lower factor at v[d], into out (s x s column-major). */
function choleskyBlockInverse(v: Float64Array, s: number, d: number, out: Float64Array): void {
  if (s === 1) {
    const l = v[d]!;
    out[0] = 1 / (l * l);
    return;
  }
  // Columns of L^{-1} by forward substitution, then their cross products.
  const inv = new Float64Array(s * s);
  for (let c = 0; c < s; c++) {
    inv[c * s + c] = 1 / v[d + c * s + c]!;
    for (let i = c + 1; i < s; i++) {
      let t = 0;
      for (let k = c; k < i; k++) t += v[d + k * s + i]! * inv[c * s + k]!;
      inv[c * s + i] = -t / v[d + i * s + i]!;
    }
  }
  for (let a = 0; a < s; a++)
    for (let b = 0; b < s; b++) {
      let t = 0;
      for (let i = Math.max(a, b); i < s; i++) t += inv[a * s + i]! * inv[b * s + i]!;
      out[b * s + a] = t;
    }
}
