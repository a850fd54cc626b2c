import type { CategoricalCoding } from './coding.js';
import type { VariableData } from './design.js';
import type { FormulaVariable, TermSet } from './formula.js';

/**
 * How a fitted model's frame turns data into X and Z: what predict() on
 * new data and a saved model need to build the same columns again (R keeps
 * this in the terms object's "xlevels" and "contrasts"; lme4 in its
 * reTrms).  Plain JSON: it is saved with the model.
 */
export interface ModelFrameEncoding {
  readonly formula: string;
  /** The intercept option (false acts like "0 +"). */
  readonly intercept: boolean;
  /** Numeric columns that were read as categorical. */
  readonly categorical: readonly string[];
  readonly weights?: string;
  readonly offset?: string;
  /** Coding of each categorical fixed-effect column that is not the reference coding. */
  readonly coding: Readonly<Record<string, CategoricalCoding>>;
  /** Rows left out by request, 1-based. */
  readonly exclude: readonly number[];
  /** Per variable of the fixed part (index-aligned with the parsed formula's fixed variables). */
  readonly fixed: readonly VariableEncoding[];
  readonly fixedNames: readonly string[];
  /** The fixed-effects terms and their columns (R's "assign"). */
  readonly fixedTerms: readonly FixedTermEncoding[];
  /** Random-effects terms in the model's (lme4's) order. */
  readonly random: readonly RandomTermEncoding[];
}

export type VariableEncoding =
  | { readonly label: string; readonly kind: 'numeric' }
  | { readonly label: string; readonly kind: 'factor'; readonly column: string; readonly levels: readonly string[] }
  /** Mentioned in the formula but in no term (y ~ x - x). */
  | { readonly label: string; readonly kind: 'unused' };

export interface FixedTermEncoding {
  /** "(Intercept)", "x", "x:f". */
  readonly label: string;
  readonly variables: readonly string[];
  /** Columns of X (0-based). */
  readonly columns: readonly number[];
}

export interface RandomTermEncoding {
  /** Grouping factor as lme4 names it: "Subject", "cask:batch". */
  readonly group: string;
  /** Index of the term in the parsed formula's random terms (formula order, after expansion). */
  readonly spec: number;
  /** Levels of the grouping factor in the fit, in the order of the level indices. */
  readonly levels: readonly string[];
  /** Per variable of the term's left side. */
  readonly variables: readonly VariableEncoding[];
  readonly columnNames: readonly string[];
}

/** The encoding of each variable of a term set from its values over the used rows. */
export function variableEncodings(set: TermSet, data: readonly VariableData[]): VariableEncoding[] {
  const used = new Set(set.terms.flatMap((t) => t.variables));
  return set.variables.map((v, i) => {
    const d = data[i] as VariableData;
    if (!used.has(i)) return { label: v.label, kind: 'unused' };
    if (d.kind === 'factor') return { label: v.label, kind: 'factor', column: v.column as string, levels: d.factor.levels };
    return { label: v.label, kind: 'numeric' };
  });
}

/** The terms of a fixed part with their columns, from R's assign vector. */
export function fixedTermEncodings(set: TermSet, assign: readonly number[]): FixedTermEncoding[] {
  const out: FixedTermEncoding[] = [];
  if (set.intercept) out.push({ label: '(Intercept)', variables: [], columns: columnsOf(assign, 0) });
  set.terms.forEach((t, j) => {
    out.push({ label: t.label, variables: t.variables.map((v) => (set.variables[v] as FormulaVariable).label), columns: columnsOf(assign, j + 1) });
  });
  return out;
}

function columnsOf(assign: readonly number[], term: number): number[] {
  const out: number[] = [];
  assign.forEach((a, c) => {
    if (a === term) out.push(c);
  });
  return out;
}
