import type { ModelMatrices, RandomTerm } from '@glmm/core';

/**
 * Number of distinct levels that actually occur in the used rows (lme4's
 * ngrps). A model frame lists only levels that occur, so the scan usually
 * stops once every level has been seen, long before the last row.
 */
export function observedLevels(term: RandomTerm): number {
  const total = term.levels.length;
  const seen = new Uint8Array(total);
  let count = 0;
  for (let i = 0; i < term.index.length && count < total; i++) {
    const l = term.index[i]!;
    if (!seen[l]) {
      seen[l] = 1;
      count++;
    }
  }
  return count;
}

/** observedLevels of each grouping factor's first term, in order of first appearance. */
export function observedLevelsByGroup(model: ModelMatrices): Map<string, number> {
  const out = new Map<string, number>();
  for (const term of model.terms) if (!out.has(term.group)) out.set(term.group, observedLevels(term));
  return out;
}
