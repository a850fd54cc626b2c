import { findBlock, type BlockPattern } from '@glmm/linalg';
import type { RandomEffectsStructure } from '@glmm/engine';

/**
 * For every row and every pair of terms t1 < t2, the offset in the factor's
 * values of the block (node of t2, node of t1) the row meets: pair-major,
 * pair * n + i, pairs in the order (0,1), (0,2), ..., (1,2), ...  `node`
 * holds each row's node per term (term-major, t * n + i).  Level pairs
 * repeat over rows, so each block is looked up once.
 */
export function rowPairBlocks(re: RandomEffectsStructure, pattern: BlockPattern, node: Int32Array, out: Int32Array): void {
  const n = re.model.n;
  const T = re.nTerms;
  let pair = 0;
  for (let t1 = 0; t1 < T; t1++)
    for (let t2 = t1 + 1; t2 < T; t2++, pair++) {
      const cache = new Map<number, number>();
      const l2 = re.levels[t2]!;
      const idx1 = re.terms[t1]!.index;
      const idx2 = re.terms[t2]!.index;
      for (let i = 0; i < n; i++) {
        const key = idx1[i]! * l2 + idx2[i]!;
        let off = cache.get(key);
        if (off === undefined) {
          const b = findBlock(pattern, node[t2 * n + i]!, node[t1 * n + i]!);
          if (b < 0) throw new Error('levels sharing a row have no block in the factor pattern');
          off = pattern.blockOffset[b]!;
          cache.set(key, off);
        }
        out[pair * n + i] = off;
      }
    }
}
