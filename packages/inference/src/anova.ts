import { contrastF, type ContrastFTest } from './contrast-test.js';
import type { DegreesOfFreedom, DfMethod } from './degrees-of-freedom.js';
import type { FrameEncodingLike } from './design-layout.js';
import { termHypotheses, type AnovaType } from './hypotheses.js';

export interface AnovaRow {
  readonly term: string;
  readonly numDF: number;
  /** null for z (then numDF * F is chi-square on numDF). */
  readonly denDF: number | null;
  readonly F: number;
  readonly pValue: number;
}

export interface AnovaTable {
  readonly type: AnovaType;
  readonly dfMethod: DfMethod;
  readonly terms: AnovaRow[];
  readonly notes: string[];
}

/** An F test per fixed-effects term (the columns of a categorical term tested together). */
export function anovaTable(
  encoding: FrameEncodingLike,
  beta: Float64Array,
  vcov: Float64Array,
  dof: DegreesOfFreedom,
  type: AnovaType = '3',
): AnovaTable {
  const notes: string[] = [];
  const terms = termHypotheses(encoding, type)
    .filter((h) => h.L.length > 0)
    .map((h) => {
      const test: ContrastFTest = contrastF(h.L, new Array<number>(h.L.length).fill(0), beta, vcov, dof);
      for (const n of test.notes) notes.push(`${h.term}: ${n}`);
      return { term: h.term, numDF: test.numDF, denDF: test.denDF, F: test.F, pValue: test.pValue };
    });
  return { type, dfMethod: dof.method, terms, notes };
}
