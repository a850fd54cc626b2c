import type { ReportRows } from '@glmm/core';
import { PLOT_BUDGET, count, evenlySpaced } from './plot-budget.js';

export interface GroupLineDatum {
  group: string;
  x: number;
  fitted: number;
  observed: number;
}

export interface GroupLines {
  /** Grouping factor and the slope's column, e.g. Subject and Days. */
  group: string;
  predictor: string;
  data: GroupLineDatum[];
  groupsDrawn: number;
  groups: number;
  note: string | null;
}

/** A column a group's line can run over: not the intercept, and not a 0/1 indicator of a categorical variable. */
function slopeColumn(columns: readonly Float64Array[], names: readonly string[]): number {
  for (let c = 0; c < columns.length; c++) {
    if (names[c] === '(Intercept)') continue;
    const col = columns[c]!;
    for (let i = 0; i < col.length; i++) if (col[i] !== 0 && col[i] !== 1) return c;
  }
  return -1;
}

/**
 * For each random-effects term with a slope: the fitted values of a sample
 * of its groups (every group up to the budget, otherwise evenly spaced in
 * level order) over the slope's predictor, sorted along it, with the
 * observed values.
 */
export function groupLines(terms: ReportRows['terms'], fitted: ArrayLike<number>, observed: ArrayLike<number>, budget = PLOT_BUDGET): GroupLines[] {
  const out: GroupLines[] = [];
  for (const term of terms) {
    const c = slopeColumn(term.columns, term.columnNames);
    if (c < 0) continue;
    const x = term.columns[c]!;
    const chosen = evenlySpaced(term.levels.length, budget.slopeGroups);
    const slot = new Int32Array(term.levels.length).fill(-1);
    chosen.forEach((level, s) => (slot[level] = s));
    const members: number[][] = Array.from(chosen, () => []);
    for (let i = 0; i < term.index.length; i++) {
      const s = slot[term.index[i]!]!;
      if (s >= 0) members[s]!.push(i);
    }
    const data: GroupLineDatum[] = [];
    // Each group's line gets an equal share of the point budget; a longer group is thinned along the predictor.
    const perGroup = Math.max(2, Math.floor(budget.maxPoints / chosen.length));
    let thinned = false;
    members.forEach((rowsOfGroup, s) => {
      const name = term.levels[chosen[s]!]!;
      rowsOfGroup.sort((a, b) => x[a]! - x[b]!);
      const keep = evenlySpaced(rowsOfGroup.length, perGroup);
      if (keep.length < rowsOfGroup.length) thinned = true;
      for (const k of keep) {
        const i = rowsOfGroup[k]!;
        if (Number.isFinite(x[i]!) && Number.isFinite(fitted[i]!)) data.push({ group: name, x: x[i]!, fitted: fitted[i]!, observed: observed[i]! });
      }
    });
    const groups = term.levels.length;
    const notes = [
      ...(groups > chosen.length ? [`${chosen.length} of ${count(groups)} groups, evenly spaced in level order`] : []),
      ...(thinned ? [`at most ${perGroup} rows per group, evenly spaced along ${term.columnNames[c]}`] : []),
    ];
    out.push({
      group: term.group,
      predictor: term.columnNames[c]!,
      data,
      groupsDrawn: chosen.length,
      groups,
      note: notes.length > 0 ? notes.join('; ') : null,
    });
  }
  return out;
}
