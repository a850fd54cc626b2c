import { GlmmInputError } from '@glmm/core';
import { contrastT } from './contrast-test.js';
import type { DegreesOfFreedom, DfMethod } from './degrees-of-freedom.js';
import { normalQuantile, tQuantile } from './distributions.js';

/** A fixed-effect row with its degrees of freedom (the results contract's row plus `df`). */
export interface CoefficientRow {
  readonly name: string;
  readonly estimate: number;
  readonly stdError: number;
  /** null for z. */
  readonly df: number | null;
  readonly statistic: number;
  readonly pValue: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

export interface CoefficientTable {
  readonly dfMethod: DfMethod;
  readonly level: number;
  readonly rows: CoefficientRow[];
}

export function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new GlmmInputError(`the confidence level must be between 0 and 1 (exclusive), got ${level}`);
}

/** The two-sided critical value at `level` for df (null = normal). */
export function criticalValue(level: number, df: number | null): number {
  const p = 1 - (1 - level) / 2;
  return df === null ? normalQuantile(p) : tQuantile(p, df);
}

/**
 * fitglme's coefficient table (coefCI with the same DF): each fixed effect
 * with SE, t or z, the degrees of freedom of the chosen method, p-value
 * and confidence interval at `level`.
 */
export function coefficientTable(
  names: readonly string[],
  beta: Float64Array,
  vcov: Float64Array,
  dof: DegreesOfFreedom,
  level = 0.95,
): CoefficientTable {
  checkLevel(level);
  const p = beta.length;
  const rows = names.map((name, j) => {
    const l = new Float64Array(p);
    l[j] = 1;
    const t = contrastT(l, 0, beta, vcov, dof);
    const q = criticalValue(level, t.df);
    return {
      name,
      estimate: t.estimate,
      stdError: t.stdError,
      df: t.df,
      statistic: t.statistic,
      pValue: t.pValue,
      ciLower: t.estimate - q * t.stdError,
      ciUpper: t.estimate + q * t.stdError,
    };
  });
  return { dfMethod: dof.method, level, rows };
}
