import { describe, expect, it } from 'vitest';
import { loadValues } from './load-values.js';
import { BlockCholesky, findBlock, spdInverse, symbolicBlockCholesky } from '@glmm/linalg';
import { rng } from '../../engine/test/structured-model.js';
import { setWasmKernelsEnabled } from '../src/wasm-gemm.js';

/**
 * A random structured SPD matrix as the engine builds them: nodes of the
 * given sizes, random observations touching a random subset of nodes (and,
 * with `lastDense`, always the last node, like the fixed effects),
 * M = B'B + I, and the lower node pattern of M.
 */
function randomStructured(sizes: readonly number[], density: number, seed: number, lastDense: boolean) {
  const rand = rng(seed);
  const n = sizes.length;
  const start = [0];
  for (const s of sizes) start.push(start[start.length - 1]! + s);
  const dim = start[n]!;
  const dense = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let r = 0; r < 3 * n; r++) {
    row.fill(0);
    for (let j = 0; j < n; j++)
      if ((lastDense && j === n - 1) || rand() < density) for (let c = start[j]!; c < start[j + 1]!; c++) row[c] = rand() * 2 - 1;
    for (let a = 0; a < dim; a++) {
      if (row[a] === 0) continue;
      for (let b = 0; b < dim; b++) dense[b * dim + a]! += row[a]! * row[b]!;
    }
  }
  for (let a = 0; a < dim; a++) dense[a * dim + a]! += 1;
  const lower: number[][] = sizes.map(() => []);
  for (let j = 0; j < n; j++)
    for (let i = j + 1; i < n; i++) {
      let nz = false;
      for (let a = start[i]!; a < start[i + 1]! && !nz; a++)
        for (let b = start[j]!; b < start[j + 1]!; b++) if (dense[b * dim + a] !== 0) nz = true;
      if (nz) lower[j]!.push(i);
    }
  return { dense, dim, lower };
}


describe('selected inverse (Takahashi) on the block pattern of L', () => {
  const cases: [string, number[], number, number, boolean][] = [
    ['scalar nodes, sparse', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.25, 1, false],
    ['scalar nodes with a fixed-effects node', [1, 1, 1, 1, 1, 1, 1, 1, 3], 0.3, 2, true],
    ['slope blocks', [2, 2, 2, 2, 2, 3], 0.4, 3, true],
    ['mixed sizes, dense-ish', [1, 2, 3, 1, 2, 1, 1, 4], 0.6, 4, true],
    ['many mixed nodes', Array.from({ length: 40 }, (_, i) => (i === 39 ? 3 : 1 + (i % 2))), 0.08, 5, true],
    ['crossed scalar nodes: dense tail', Array.from({ length: 70 }, () => 1), 0.25, 7, false],
    ['crossed with a fixed-effects node: dense tail', Array.from({ length: 70 }, (_, i) => (i === 69 ? 3 : 1)), 0.25, 8, true],
    ['crossed slopes: dense tail', Array.from({ length: 50 }, (_, i) => (i === 49 ? 2 : 1 + (i % 2))), 0.3, 6, true],
  ];
  for (const [label, sizes, density, seed, lastDense] of cases) {
    it(`equals the dense inverse on the pattern: ${label}`, () => {
      const { dense, dim, lower } = randomStructured(sizes, density, seed, lastDense);
      const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
      if (label.includes('dense tail')) expect(pattern.denseStart).toBeLessThan(pattern.nNodes - 10);
      const chol = new BlockCholesky(pattern);
      loadValues(chol, dense, dim);
      expect(chol.factor()).toBe(-1);
      const inv = spdInverse(Float64Array.from(dense), dim)!;
      const sel = chol.selectedInverseValues();
      let maxErr = 0;
      let maxRef = 0;
      let checked = 0;
      for (let j = 0; j < pattern.nNodes; j++) {
        const sj = pattern.sizes[j]!;
        const cj = pattern.nodeStart[j]!;
        for (let c = 0; c < sj; c++)
          for (let r = 0; r < sj; r++) {
            const ref = inv[(cj + c) * dim + cj + r]!;
            maxErr = Math.max(maxErr, Math.abs(sel[pattern.diagOffset[j]! + c * sj + r]! - ref));
            maxRef = Math.max(maxRef, Math.abs(ref));
            checked++;
          }
        for (let b = pattern.colPtr[j]!; b < pattern.colPtr[j + 1]!; b++) {
          const i = pattern.rowIdx[b]!;
          const si = pattern.sizes[i]!;
          const ci = pattern.nodeStart[i]!;
          expect(findBlock(pattern, i, j)).toBe(b);
          for (let c = 0; c < sj; c++)
            for (let r = 0; r < si; r++) {
              const ref = inv[(cj + c) * dim + ci + r]!;
              maxErr = Math.max(maxErr, Math.abs(sel[pattern.blockOffset[b]! + c * si + r]! - ref));
              checked++;
            }
        }
      }
      expect(checked).toBeGreaterThan(dim);
      expect(maxRef).toBeGreaterThan(0.01);
      expect(maxErr).toBeLessThan(1e-12 * Math.max(1, maxRef));
    });
  }

  it('gives the same values for a dense tail past the kernel threshold with the WebAssembly kernel and without it', () => {
    const sizes = Array.from({ length: 300 }, (_, i) => (i === 299 ? 2 : 1));
    const { dense, dim, lower } = randomStructured(sizes, 0.2, 9, true);
    const pattern = symbolicBlockCholesky(Int32Array.from(sizes), lower);
    expect(pattern.nodeStart[pattern.nNodes]! - pattern.nodeStart[pattern.denseStart]!).toBeGreaterThan(192);
    const chol = new BlockCholesky(pattern);
    loadValues(chol, dense, dim);
    expect(chol.factor()).toBe(-1);
    const withKernel = chol.selectedInverseValues();
    setWasmKernelsEnabled(false);
    let withoutKernel: Float64Array;
    try {
      withoutKernel = chol.selectedInverseValues();
    } finally {
      setWasmKernelsEnabled(true);
    }
    const inv = spdInverse(Float64Array.from(dense), dim)!;
    let maxRef = 0;
    for (let k = 0; k < withKernel.length; k++) {
      expect(Math.abs(withKernel[k]! - withoutKernel[k]!)).toBeLessThan(1e-12);
      maxRef = Math.max(maxRef, Math.abs(withKernel[k]!));
    }
    // The last column's diagonal entry against the dense inverse.
    const j = pattern.nNodes - 1;
    const cj = pattern.nodeStart[j]!;
    expect(withKernel[pattern.diagOffset[j]!]).toBeCloseTo(inv[cj * dim + cj]!, 12);
    expect(maxRef).toBeGreaterThan(0.01);
  });

  it('reproduces the inverse of a diagonal matrix and of a 2 x 2 arrow', () => {
    const diag = symbolicBlockCholesky(Int32Array.from([1, 1, 1]), [[], [], []]);
    const c1 = new BlockCholesky(diag);
    c1.values.set([4, 9, 0.25]);
    expect(c1.factor()).toBe(-1);
    expect([...c1.selectedInverseValues()]).toEqual([0.25, 1 / 9, 4]);
    // M = [[2, 1], [1, 3]]: M^{-1} = [[3, -1], [-1, 2]] / 5.
    const arrow = symbolicBlockCholesky(Int32Array.from([1, 1]), [[1], []]);
    const c2 = new BlockCholesky(arrow);
    c2.values.set([2, 1, 3]);
    expect(c2.factor()).toBe(-1);
    const z = c2.selectedInverseValues();
    expect(z[0]).toBeCloseTo(3 / 5, 15);
    expect(z[1]).toBeCloseTo(-1 / 5, 15);
    expect(z[2]).toBeCloseTo(2 / 5, 15);
  });
});
