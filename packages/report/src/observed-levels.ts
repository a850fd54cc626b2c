import type { RandomTerm } from '@glmm/core';

/** Number of distinct levels that actually occur in the used rows (lme4's ngrps). */
export function observedLevels(term: RandomTerm): number {
  const seen = new Uint8Array(term.levels.length);
  let count = 0;
  for (let i = 0; i < term.index.length; i++) {
    const l = term.index[i]!;
    if (!seen[l]) {
      seen[l] = 1;
      count++;
    }
  }
  return count;
}
