import type { BlockCholesky } from '@glmm/linalg';

/** Writes the lower blocks of the dense dim x dim matrix (column-major) into the factor's layout. */
export function loadValues(chol: BlockCholesky, dense: Float64Array, dim: number): void {
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
