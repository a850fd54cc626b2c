import { describe, expect, it } from 'vitest';
import { BlockCholesky, choleskyInPlace, findBlock, spdInverse, symbolicBlockCholesky } from '@glmm/linalg';

/** Deterministic generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * A random structured SPD matrix as the engine builds them: nodes of the
 * given sizes, a sparse random node pattern (plus a dense last node that
 * touches everything, like the fixed effects), M = B'B + I.
 */
function randomStructured(sizes: number[], density: number, seed: number) {
  const rand = rng(seed);
  const n = sizes.length;
  const start = [0];
  for (const s of sizes) start.push(start[start.length - 1]! + s);
  const dim = start[n]!;
  // B: a few random "observations", each touching a random subset of nodes.
  const rows: number[][] = [];
  for (let r = 0; r < 3 * n; r++) {
    const row = new Array<number>(dim).fill(0);
    for (let j = 0; j < n; j++) {
      if (j === n - 1 || rand() < density) for (let c = start[j]!; c < start[j + 1]!; c++) row[c] = rand() * 2 - 1;
    }
    rows.push(row);
  }
  const dense = new Float64Array(dim * dim);
  for (const row of rows)
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) dense[b * dim + a]! += row[a]! * row[b]!;
  for (let a = 0; a < dim; a++) dense[a * dim + a]! += 1;
  const lower: number[][] = sizes.map(() => []);
  for (let j = 0; j < n; j++)
    for (let i = j + 1; i < n; i++) {
      let nz = false;
      for (let a = start[i]!; a < start[i + 1]! && !nz; a++)
        for (let b = start[j]!; b < start[j + 1]!; b++) if (dense[b * dim + a] !== 0) nz = true;
      if (nz) lower[j]!.push(i);
    }
  return { dense, dim, start, lower };
}

function loadValues(chol: BlockCholesky, dense: Float64Array, dim: number) {
  const p = chol.pattern;
  for (let j = 0; j < p.nNodes; j++) {
    const sj = p.sizes[j]!;
    const cj = p.nodeStart[j]!;
    for (let c = 0; c < sj; c++)
      for (let r = 0; r < sj; r++) chol.values[p.diagOffset[j]! + c * sj + r] = dense[(cj + c) * dim + cj + r]!;
    for (let b = p.colPtr[j]!; b < p.colPtr[j + 1]!; b++) {
      const i = p.rowIdx[b]!;
      const si = p.sizes[i]!;
      const ci = p.nodeStart[i]!;
      for (let c = 0; c < sj; c++)
        for (let r = 0; r < si; r++) chol.values[p.blockOffset[b]! + c * si + r] = dense[(cj + c) * dim + ci + r]!;
    }
  }
}

describe('block-sparse Cholesky', () => {
  for (const [label, sizes, density, seed] of [
    ['scalar nodes, sparse', [1, 1, 1, 1, 1, 1, 1, 1, 3], 0.3, 1],
    ['slope blocks', [2, 2, 2, 2, 2, 3], 0.4, 2],
    ['mixed sizes, dense-ish', [1, 2, 3, 1, 2, 1, 1, 4], 0.6, 3],
    ['many nodes', Array.from({ length: 40 }, (_, i) => (i === 39 ? 3 : 1 + (i % 2))), 0.08, 4],
    ['crossed: dense tail', Array.from({ length: 70 }, (_, i) => (i === 69 ? 3 : 1)), 0.25, 5],
    ['crossed scalar nodes: dense tail', Array.from({ length: 70 }, () => 1), 0.25, 7],
    ['crossed slopes: dense tail', Array.from({ length: 50 }, (_, i) => (i === 49 ? 2 : 1 + (i % 2))), 0.3, 6],
  ] as const) {
    it(`matches a dense Cholesky: ${label}`, () => {
      const { dense, dim, lower } = randomStructured([...sizes], density, seed);
      const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
      if (label.includes('dense tail')) expect(pattern.denseStart).toBeLessThan(pattern.nNodes - 10);
      const chol = new BlockCholesky(pattern);
      loadValues(chol, dense, dim);
      expect(chol.factor()).toBe(-1);

      const ref = Float64Array.from(dense);
      expect(choleskyInPlace(ref, dim)).toBe(true);
      // Every entry of L agrees with the dense factor; entries outside the pattern are zero in the dense factor.
      for (let j = 0; j < pattern.nNodes; j++)
        for (let i = j; i < pattern.nNodes; i++) {
          const b = i === j ? -2 : findBlock(pattern, i, j);
          for (let c = 0; c < pattern.sizes[j]!; c++)
            for (let r = 0; r < pattern.sizes[i]!; r++) {
              const refv = ref[(pattern.nodeStart[j]! + c) * dim + pattern.nodeStart[i]! + r]!;
              if (b === -1) expect(Math.abs(refv)).toBeLessThan(1e-12);
              else {
                const got =
                  b === -2
                    ? chol.values[pattern.diagOffset[j]! + c * pattern.sizes[j]! + r]!
                    : chol.values[pattern.blockOffset[b]! + c * pattern.sizes[i]! + r]!;
                if (b === -2 && r < c) continue;
                expect(got).toBeCloseTo(refv, 10);
              }
            }
        }

      // Solves: L L' x = rhs.
      const rhs = Float64Array.from({ length: dim }, (_, k) => Math.sin(k + 1));
      const x = Float64Array.from(rhs);
      chol.solveL(x);
      chol.solveLt(x);
      for (let a = 0; a < dim; a++) {
        let s = 0;
        for (let b = 0; b < dim; b++) s += dense[b * dim + a]! * x[b]!;
        expect(s).toBeCloseTo(rhs[a]!, 9);
      }

      // log-determinant.
      let ld = 0;
      for (let a = 0; a < dim; a++) ld += 2 * Math.log(ref[a * dim + a]!);
      expect(chol.logDet()).toBeCloseTo(ld, 9);

      // Diagonal blocks of the inverse of the leading (all but last node) submatrix.
      const upto = pattern.nNodes - 1;
      const d1 = pattern.nodeStart[upto]!;
      const lead = new Float64Array(d1 * d1);
      for (let c = 0; c < d1; c++) for (let r = 0; r < d1; r++) lead[c * d1 + r] = dense[c * dim + r]!;
      const inv = spdInverse(lead, d1)!;
      const blocks = chol.inverseDiagonalBlocks(upto);
      let off = 0;
      for (let j = 0; j < upto; j++) {
        const sj = pattern.sizes[j]!;
        const st = pattern.nodeStart[j]!;
        for (let c = 0; c < sj; c++)
          for (let r = 0; r < sj; r++) expect(blocks[off + c * sj + r]!).toBeCloseTo(inv[(st + c) * d1 + st + r]!, 10);
        off += sj * sj;
      }
    });
  }

  it('reports the node where the matrix is not positive definite', () => {
    const pattern = symbolicBlockCholesky(Int32Array.from([1, 1]), [[1], []]);
    const chol = new BlockCholesky(pattern);
    chol.values.set([1, 2, 1]); // [[1,2],[2,1]] is indefinite
    expect(chol.factor()).toBe(1);
  });

  it('computes fill-in through the elimination tree', () => {
    // Arrow into node 2 from nodes 0 and 1 plus 0-3: column 0 = {2,3} fills (3,2).
    const pattern = symbolicBlockCholesky(Int32Array.from([1, 1, 1, 1]), [[2, 3], [2], [], []]);
    expect(findBlock(pattern, 3, 2)).toBeGreaterThanOrEqual(0);
    expect([...pattern.parent]).toEqual([2, 2, 3, -1]);
  });
});

describe('block-sparse Cholesky on a fully crossed design', () => {
  it('matches a dense Cholesky when every level of one factor meets every level of the other', () => {
    // 200 ids x 30 items + one fixed-effects node: each id column is contiguous in the dense tail.
    const ids = 200;
    const items = 30;
    const n = ids + items + 1;
    const rand = rng(9);
    const dense = new Float64Array(n * n);
    for (let a = 0; a < ids; a++)
      for (let b = 0; b < items; b++) {
        const idx = [a, ids + b, n - 1];
        const val = [1, 0.5 + rand(), rand() - 0.5];
        for (let s = 0; s < 3; s++) for (let t = 0; t < 3; t++) dense[idx[t]! * n + idx[s]!]! += val[s]! * val[t]!;
      }
    for (let i = 0; i < n; i++) dense[i * n + i]! += 1;
    const lower: number[][] = Array.from({ length: n }, () => []);
    for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) if (dense[j * n + i] !== 0) lower[j]!.push(i);
    const pattern = symbolicBlockCholesky(new Int32Array(n).fill(1), lower);
    // Some id columns stay sparse and update the dense tail, contiguously.
    expect(pattern.denseStart).toBeGreaterThan(0);
    expect(pattern.denseStart).toBeLessThanOrEqual(ids);
    const chol = new BlockCholesky(pattern);
    loadValues(chol, dense, n);
    expect(chol.factor()).toBe(-1);
    const ref = Float64Array.from(dense);
    expect(choleskyInPlace(ref, n)).toBe(true);
    let ld = 0;
    for (let a = 0; a < n; a++) ld += 2 * Math.log(ref[a * n + a]!);
    expect(chol.logDet()).toBeCloseTo(ld, 9);
    const x = Float64Array.from({ length: n }, (_, k) => Math.cos(k));
    const rhs = Float64Array.from(x);
    chol.solveL(x);
    chol.solveLt(x);
    for (let a = 0; a < n; a++) {
      let s = 0;
      for (let b = 0; b < n; b++) s += dense[b * n + a]! * x[b]!;
      expect(s).toBeCloseTo(rhs[a]!, 9);
    }
  });
});
