import type { RandomEffectRow } from '@glmm/core';
import { PLOT_BUDGET, count, evenlySpaced } from './plot-budget.js';

export interface CaterpillarDatum {
  /** 1 = smallest prediction. */
  rank: number;
  level: string;
  value: number;
  lower: number;
  upper: number;
}

export interface CaterpillarSeries {
  group: string;
  term: string;
  levels: number;
  data: CaterpillarDatum[];
  /** Whether the axis names the levels (few of them) or shows ranks. */
  labelled: boolean;
  note: string | null;
}

/** z for the intervals: +-1.96 conditional SDs, as lme4's dotplot(ranef(fit, condVar = TRUE)). */
export const CATERPILLAR_Z = 1.96;

/**
 * One series per term column of each grouping factor, in the order of the
 * contract's rows; a level seen again starts a new series (a second term on
 * the same factor with the same column name).  Each is sorted by prediction
 * and thinned to evenly spaced ranks beyond the budget.
 */
export function caterpillarSeries(rows: readonly RandomEffectRow[], budget = PLOT_BUDGET): CaterpillarSeries[] {
  const raw: { group: string; term: string; rows: RandomEffectRow[]; seen: Set<string> }[] = [];
  const open = new Map<string, (typeof raw)[number]>();
  for (const row of rows) {
    const key = `${row.group}\u0000${row.term}`;
    let s = open.get(key);
    if (!s || s.seen.has(row.level)) {
      s = { group: row.group, term: row.term, rows: [], seen: new Set() };
      open.set(key, s);
      raw.push(s);
    }
    s.rows.push(row);
    s.seen.add(row.level);
  }
  return raw.map((s) => {
    const sorted = [...s.rows].sort((a, b) => a.value - b.value);
    const keep = evenlySpaced(sorted.length, budget.caterpillarLevels);
    const data = Array.from(keep, (i) => {
      const r = sorted[i]!;
      const half = CATERPILLAR_Z * r.condSd;
      return { rank: i + 1, level: r.level, value: r.value, lower: r.value - half, upper: r.value + half };
    });
    const levels = sorted.length;
    return {
      group: s.group,
      term: s.term,
      levels,
      data,
      labelled: levels <= budget.caterpillarLabels,
      note: levels > keep.length ? `${keep.length} of ${count(levels)} levels drawn, at evenly spaced ranks` : null,
    };
  });
}
