import { describe, expect, it } from 'vitest';
import { loadValues } from './load-values.js';
import { BlockCholesky, choleskyInPlace, findBlock, spdInverse, symbolicBlockCholesky } from '@glmm/linalg';
import { sparseSelectedInverse } from '../src/selected-inverse.js';
import { spdInverseLower } from '../src/dense-inverse.js';
import { setWasmKernelsEnabled } from '../src/wasm-gemm.js';

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

  it('finds the same fill as elimination on a dense boolean matrix, through its full-column and long-column shortcuts', () => {
    const rand = rng(17);
    for (const [n, density] of [
      [40, 0.05],
      [60, 0.15],
      [30, 0.5],
    ] as const) {
      const lower: number[][] = Array.from({ length: n }, () => []);
      const filled = Array.from({ length: n }, () => new Uint8Array(n));
      for (let j = 0; j < n; j++)
        for (let i = j + 1; i < n; i++)
          if (rand() < density) {
            lower[j]!.push(i, i); // duplicates are allowed
            filled[j]![i] = 1;
          }
      // Elimination: column j's rows fill every pair among them.
      for (let j = 0; j < n; j++) {
        const rows = [];
        for (let i = j + 1; i < n; i++) if (filled[j]![i]) rows.push(i);
        for (const a of rows) for (const b of rows) if (a < b) filled[a]![b] = 1;
      }
      const pattern = symbolicBlockCholesky(new Int32Array(n).fill(1), lower);
      for (let j = 0; j < n; j++) {
        const expected = [];
        for (let i = j + 1; i < n; i++) if (filled[j]![i]) expected.push(i);
        expect([...pattern.rowIdx.subarray(pattern.colPtr[j]!, pattern.colPtr[j + 1]!)], `column ${j}`).toEqual(expected);
        expect(pattern.parent[j]).toBe(expected.length > 0 ? expected[0] : -1);
      }
    }
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

/**
 * A crossed design as the engine builds it: nA levels of a factor with
 * sA coefficients each, nB levels of a second one (sB each), and a
 * fixed-effects node of size p; each A level meets a random share `frac` of
 * the B levels (all of them when frac = 1) in `reps` observations each.
 * M = Z'Z + I in node order A, B, X.
 */
function crossed(nA: number, sA: number, nB: number, sB: number, p: number, frac: number, seed: number) {
  const rand = rng(seed);
  const sizes = [...new Array<number>(nA).fill(sA), ...new Array<number>(nB).fill(sB), p];
  const n = sizes.length;
  const start = [0];
  for (const s of sizes) start.push(start[start.length - 1]! + s);
  const dim = start[n]!;
  const dense = new Float64Array(dim * dim);
  const lowerSets = sizes.map(() => new Set<number>());
  const z = new Float64Array(dim);
  for (let a = 0; a < nA; a++)
    for (let b = 0; b < nB; b++) {
      if (frac < 1 && rand() >= frac) continue;
      z.fill(0);
      const nodes = [a, nA + b, n - 1];
      for (const node of nodes) for (let c = start[node]!; c < start[node + 1]!; c++) z[c] = rand() * 2 - 1;
      for (const i of nodes) for (const j of nodes) if (i > j) lowerSets[j]!.add(i);
      for (const i of nodes)
        for (const j of nodes)
          for (let r = start[i]!; r < start[i + 1]!; r++)
            for (let c = start[j]!; c < start[j + 1]!; c++) dense[c * dim + r]! += z[r]! * z[c]!;
    }
  for (let i = 0; i < dim; i++) dense[i * dim + i]! += 1;
  return { dense, dim, sizes, lower: lowerSets.map((s) => [...s]) };
}

function expectMatchesDense(chol: BlockCholesky, dense: Float64Array, dim: number, uptos: number[]) {
  const pattern = chol.pattern;
  const ref = Float64Array.from(dense);
  expect(choleskyInPlace(ref, dim)).toBe(true);
  let scale = 0;
  for (let i = 0; i < dim; i++) scale = Math.max(scale, Math.abs(ref[i * dim + i]!));
  for (let j = 0; j < pattern.nNodes; j++) {
    const sj = pattern.sizes[j]!;
    for (let i = j; i < pattern.nNodes; i++) {
      const b = i === j ? -2 : findBlock(pattern, i, j);
      const si = pattern.sizes[i]!;
      for (let c = 0; c < sj; c++)
        for (let r = 0; r < si; r++) {
          const refv = ref[(pattern.nodeStart[j]! + c) * dim + pattern.nodeStart[i]! + r]!;
          if (b === -1) expect(Math.abs(refv)).toBeLessThan(1e-12 * scale);
          else if (b === -2) {
            const got = chol.values[pattern.diagOffset[j]! + c * sj + r]!;
            // Above the diagonal of a diagonal block L is zero.
            if (r < c) expect(got).toBe(0);
            else expect(Math.abs(got - refv)).toBeLessThan(1e-11 * scale);
          } else expect(Math.abs(chol.values[pattern.blockOffset[b]! + c * si + r]! - refv)).toBeLessThan(1e-11 * scale);
        }
    }
  }
  let ld = 0;
  for (let a = 0; a < dim; a++) ld += 2 * Math.log(ref[a * dim + a]!);
  expect(chol.logDet()).toBeCloseTo(ld, 8);
  const rhs = Float64Array.from({ length: dim }, (_, k) => Math.sin(k + 1));
  const x = Float64Array.from(rhs);
  chol.solveL(x);
  chol.solveLt(x);
  for (let a = 0; a < dim; a++) {
    let s = 0;
    for (let b = 0; b < dim; b++) s += dense[b * dim + a]! * x[b]!;
    expect(s).toBeCloseTo(rhs[a]!, 8);
  }
  // With the WebAssembly kernel and without it (which method runs depends on the structure's work counts).
  for (const upto of uptos.flatMap((u) => [u, -u - 1])) {
    setWasmKernelsEnabled(upto >= 0);
    let blocks: Float64Array;
    try {
      blocks = chol.inverseDiagonalBlocks(upto >= 0 ? upto : -upto - 1);
    } finally {
      setWasmKernelsEnabled(true);
    }
    checkInverseBlocks(pattern, dense, dim, upto >= 0 ? upto : -upto - 1, blocks);
  }
  for (const upto of uptos) checkSelectedInverse(chol, dense, dim, upto);
}

/** Every block of BlockCholesky.selectedInverse(upto) against the dense inverse of the leading submatrix. */
function checkSelectedInverse(chol: BlockCholesky, dense: Float64Array, dim: number, upto: number) {
  const pattern = chol.pattern;
  const parts = chol.selectedInverse(upto)!;
  const d1 = pattern.nodeStart[upto]!;
  const lead = new Float64Array(d1 * d1);
  for (let c = 0; c < d1; c++) for (let r = 0; r < d1; r++) lead[c * d1 + r] = dense[c * dim + r]!;
  const inv = spdInverse(lead, d1)!;
  let scale = 0;
  for (let i = 0; i < d1; i++) scale = Math.max(scale, Math.abs(inv[i * d1 + i]!));
  const blocks = chol.inverseDiagonalBlocks(upto);
  expect(parts.diagonal.length).toBe(blocks.length);
  for (let k = 0; k < blocks.length; k++) expect(Math.abs(parts.diagonal[k]! - blocks[k]!)).toBeLessThan(1e-12 * scale);
  for (let j = 0; j < upto; j++) {
    const sj = pattern.sizes[j]!;
    const rows = [j, ...Array.from(pattern.rowIdx.subarray(pattern.colPtr[j]!, pattern.colPtr[j + 1]!))].filter((i) => i < upto);
    for (const i of rows) {
      const si = pattern.sizes[i]!;
      for (let c = 0; c < sj; c++)
        for (let r = 0; r < si; r++) {
          let got: number;
          if (j < parts.tailFrom) {
            const off = i === j ? pattern.diagOffset[j]! : pattern.blockOffset[findBlock(pattern, i, j)]!;
            got = parts.sparse[off + c * si + r]!;
          } else {
            const a = pattern.nodeStart[i]! - parts.tailStart + r;
            const b = pattern.nodeStart[j]! - parts.tailStart + c;
            got = a >= b ? parts.tail[b * parts.tailDim + a]! : parts.tail[a * parts.tailDim + b]!;
          }
          const want = inv[(pattern.nodeStart[j]! + c) * d1 + pattern.nodeStart[i]! + r]!;
          expect(Math.abs(got - want), `block (${i}, ${j}) entry (${r}, ${c})`).toBeLessThan(1e-10 * scale);
        }
    }
  }
}

function checkInverseBlocks(
  pattern: BlockCholesky['pattern'],
  dense: Float64Array,
  dim: number,
  upto: number,
  blocks: Float64Array,
  checkBelow = upto,
) {
  {
    const d1 = pattern.nodeStart[upto]!;
    const lead = new Float64Array(d1 * d1);
    for (let c = 0; c < d1; c++) for (let r = 0; r < d1; r++) lead[c * d1 + r] = dense[c * dim + r]!;
    const inv = spdInverse(lead, d1)!;
    let off = 0;
    for (let j = 0; j < upto; j++) {
      const sj = pattern.sizes[j]!;
      const st = pattern.nodeStart[j]!;
      if (j < checkBelow)
        for (let c = 0; c < sj; c++)
          for (let r = 0; r < sj; r++) expect(blocks[off + c * sj + r]!).toBeCloseTo(inv[(st + c) * d1 + st + r]!, 10);
      off += sj * sj;
    }
    expect(off).toBe(blocks.length);
  }
}

describe('block-sparse Cholesky with a dense tail: mixed node sizes', () => {
  for (const [label, nA, sA, nB, sB, p, frac, seed] of [
    // Fully crossed: every A column has the same tail rows (grouped updates, > 32 wide so groups split).
    ['fully crossed, scalar levels, fixed block of 6', 60, 1, 24, 1, 6, 1, 21],
    ['fully crossed, slopes in the sparse factor', 80, 2, 24, 1, 3, 1, 22],
    ['fully crossed, slopes in the tail factor', 50, 1, 20, 2, 2, 1, 23],
    // Partially crossed: scattered tail rows per column (singleton updates, non-contiguous).
    ['partially crossed, scalar levels, tail > 96 (blocked kernel)', 150, 1, 110, 1, 4, 0.15, 24],
    ['partially crossed, slopes in both factors', 60, 2, 50, 2, 3, 0.3, 25],
    ['partially crossed, mixed: slopes in the sparse factor only', 80, 3, 60, 1, 5, 0.25, 26],
    // Nearly crossed: each column misses a few tail rows, so groups form over the union of their rows (zeros where a column has none).
    ['nearly crossed, scalar levels', 70, 1, 40, 1, 2, 0.92, 27],
    ['nearly crossed, slopes in both factors', 50, 2, 30, 2, 3, 0.9, 28],
  ] as const) {
    it(`matches a dense Cholesky, solves, log-determinant and inverse blocks: ${label}`, () => {
      const { dense, dim, sizes, lower } = crossed(nA, sA, nB, sB, p, frac, seed);
      const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
      expect(pattern.denseStart).toBeLessThan(pattern.nNodes - 1);
      expect(pattern.denseStart).toBeGreaterThan(0);
      if (label.includes('> 96')) expect(pattern.nodeStart[pattern.nNodes]! - pattern.nodeStart[pattern.denseStart]!).toBeGreaterThan(96);
      const chol = new BlockCholesky(pattern);
      loadValues(chol, dense, dim);
      expect(chol.factor()).toBe(-1);
      // Without the fixed block, and without part of the tail too.
      expectMatchesDense(chol, dense, dim, [pattern.nNodes - 1, pattern.nNodes - 3, pattern.denseStart]);
      // The Takahashi sweep on its own (inverseDiagonalBlocks may pick the path method here).
      const ref = Float64Array.from(dense);
      choleskyInPlace(ref, dim);
      for (const upto of [pattern.nNodes - 1, pattern.nNodes - 3]) {
        const t0 = pattern.nodeStart[pattern.denseStart]!;
        const mz = pattern.nodeStart[upto]! - t0;
        const M = spdInverseLower(ref, dim, mz, t0 * dim + t0)!;
        const outStart = new Int32Array(upto + 1);
        for (let j = 0; j < upto; j++) outStart[j + 1] = outStart[j]! + pattern.sizes[j]! ** 2;
        const blocks = new Float64Array(outStart[upto]!);
        sparseSelectedInverse(pattern, chol.values, upto, M, mz, blocks, outStart);
        checkInverseBlocks(pattern, dense, dim, upto, blocks, pattern.denseStart);
      }
    });
  }

  it('ignores what the caller leaves above the diagonal of diagonal blocks, and refactors cleanly', () => {
    const { dense, dim, sizes, lower } = crossed(30, 2, 40, 2, 3, 0.4, 27);
    const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
    const chol = new BlockCholesky(pattern);
    for (let round = 0; round < 2; round++) {
      loadValues(chol, dense, dim);
      for (let j = 0; j < pattern.nNodes; j++) {
        const sj = pattern.sizes[j]!;
        for (let c = 0; c < sj; c++) for (let r = 0; r < c; r++) chol.values[pattern.diagOffset[j]! + c * sj + r] = 1e6 * (round + 1);
      }
      expect(chol.factor()).toBe(-1);
      expectMatchesDense(chol, dense, dim, [pattern.nNodes - 1]);
    }
  });

  it('gives the same factor with the WebAssembly kernels turned off', () => {
    const { dense, dim, sizes, lower } = crossed(120, 1, 100, 1, 3, 0.2, 28);
    const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
    const a = new BlockCholesky(pattern);
    loadValues(a, dense, dim);
    expect(a.factor()).toBe(-1);
    const invA = a.inverseDiagonalBlocks(pattern.nNodes - 1);
    setWasmKernelsEnabled(false);
    try {
      const b = new BlockCholesky(pattern);
      loadValues(b, dense, dim);
      expect(b.factor()).toBe(-1);
      for (let i = 0; i < pattern.nValues; i++) expect(Math.abs(a.values[i]! - b.values[i]!)).toBeLessThan(1e-12);
      const invB = b.inverseDiagonalBlocks(pattern.nNodes - 1);
      for (let i = 0; i < invA.length; i++) expect(invA[i]).toBeCloseTo(invB[i]!, 12);
    } finally {
      setWasmKernelsEnabled(true);
    }
  });

  it('reports the tail node whose pivot fails, and a failing sparse node', () => {
    const { dense, dim, sizes, lower } = crossed(40, 1, 30, 2, 2, 0.5, 29);
    const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
    const K = pattern.denseStart;
    expect(K).toBeLessThan(pattern.nNodes - 5);
    // A tail node: make its second coefficient's diagonal hugely negative.
    const badTail = K + 3;
    const d = pattern.nodeStart[badTail]! + 1;
    const broken = Float64Array.from(dense);
    broken[d * dim + d] = -1e4;
    const chol = new BlockCholesky(pattern);
    loadValues(chol, broken, dim);
    expect(chol.factor()).toBe(badTail);
    // A sparse node.
    const s = pattern.nodeStart[5]!;
    const broken2 = Float64Array.from(dense);
    broken2[s * dim + s] = -1;
    loadValues(chol, broken2, dim);
    expect(chol.factor()).toBe(5);
    // And the intact matrix still factors afterwards.
    loadValues(chol, dense, dim);
    expect(chol.factor()).toBe(-1);
  });
});

describe('BlockCholesky: scaled dense tail and the fresh forward solve', () => {
  for (const [label, nA, sA, nB, sB, p, frac, seed] of [
    ['partially crossed, scalar levels, tail > 96 (blocked kernel)', 150, 1, 110, 1, 4, 0.15, 31],
    ['partially crossed, slopes in both factors', 60, 2, 50, 2, 3, 0.3, 32],
  ] as const) {
    it(`factorWithScaledTail and solveLFresh agree to the bit with scaling the blocks, factor and solveL: ${label}`, () => {
      const { dense, dim, sizes, lower } = crossed(nA, sA, nB, sB, p, frac, seed);
      const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
      expect(pattern.denseStart).toBeLessThan(pattern.nNodes);
      const t0 = pattern.nodeStart[pattern.denseStart]!;
      const m = dim - t0;
      const rand = rng(seed);
      const scaleOf = Float64Array.from({ length: dim }, () => 0.5 + rand());
      const shift = Float64Array.from({ length: m }, (_, r) => (r % 3 === 0 ? 0 : 1));
      // Reference: the blocks of D A D + diag(shift on the tail) written into values, then factor().
      const scaled = new Float64Array(dim * dim);
      for (let c = 0; c < dim; c++)
        for (let r = 0; r < dim; r++) scaled[c * dim + r] = dense[c * dim + r]! * scaleOf[r]! * scaleOf[c]!;
      for (let r = 0; r < m; r++) scaled[(t0 + r) * dim + t0 + r]! += shift[r]!;
      const ref = new BlockCholesky(pattern);
      loadValues(ref, scaled, dim);
      expect(ref.factor()).toBe(-1);
      // Fused: the sparse columns' blocks scaled, the tail from the unscaled image.
      const fused = new BlockCholesky(pattern);
      expect(fused.hasDenseTail).toBe(true);
      const raw = new BlockCholesky(pattern);
      loadValues(raw, dense, dim);
      const image = fused.denseTailImage(raw.values);
      for (let round = 0; round < 2; round++) {
        loadValues(fused, scaled, dim);
        // The tail blocks of values are not read: spoil them.
        fused.values.fill(Number.NaN, pattern.diagOffset[pattern.denseStart]!);
        expect(fused.factorWithScaledTail(image, scaleOf.subarray(t0), shift)).toBe(-1);
        expect(Array.from(fused.values)).toEqual(Array.from(ref.values));
      }
      const b = Float64Array.from({ length: dim }, () => rand() * 2 - 1);
      const x1 = Float64Array.from(b);
      ref.solveL(x1);
      const x2 = Float64Array.from(b);
      fused.solveLFresh(x2);
      expect(Array.from(x2)).toEqual(Array.from(x1));
      // Once values are written again (no factor since), it is solveL.
      const x3 = Float64Array.from(b);
      loadValues(fused, scaled, dim);
      expect(fused.factor()).toBe(-1);
      fused.solveLFresh(x3);
      expect(Array.from(x3)).toEqual(Array.from(x1));
    });
  }

  it('solveLFresh falls back to solveL after a failed factorisation', () => {
    const { dense, dim, sizes, lower } = crossed(40, 1, 30, 1, 2, 0.3, 33);
    const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
    const chol = new BlockCholesky(pattern);
    loadValues(chol, dense, dim);
    expect(chol.factor()).toBe(-1);
    const bad = Float64Array.from(dense);
    bad[(dim - 1) * dim + dim - 1] = -1e9;
    loadValues(chol, bad, dim);
    expect(chol.factor()).toBeGreaterThanOrEqual(0);
    const x1 = Float64Array.from({ length: dim }, (_, i) => i + 1);
    const x2 = Float64Array.from(x1);
    chol.solveL(x1);
    chol.solveLFresh(x2);
    expect(Array.from(x2)).toEqual(Array.from(x1));
  });
});
