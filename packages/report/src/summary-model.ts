import type { GlmmResults, VarianceComponentRow } from '@glmm/core';
import { normalUpperTail } from '@glmm/distributions';

/**
 * Presentation helpers shared by the text and HTML reporters, derived from
 * the results contract alone (reporters never see the RawFit).
 */

/** lme4's title line for the method. */
export function methodTitle(r: GlmmResults): string {
  switch (r.method.toUpperCase()) {
    case 'REML':
      return 'Linear mixed model fit by REML';
    case 'ML':
      return 'Linear mixed model fit by maximum likelihood';
    case 'LAPLACE':
      return 'Generalized linear mixed model fit by maximum likelihood (Laplace Approximation)';
    case 'AGQ':
      return `Generalized linear mixed model fit by maximum likelihood (Adaptive Gauss-Hermite Quadrature, nAGQ = ${r.nAGQ})`;
    default:
      return `Mixed model fit by ${r.method}`;
  }
}

/** Confidence level of the Wald intervals, read back from the first row with a positive SE. */
export function confidenceLevel(r: GlmmResults): number {
  if (r.confidenceLevel !== undefined) return r.confidenceLevel;
  const row = r.fixedEffects.find((f) => f.stdError > 0);
  if (!row) return 0.95;
  const z = (row.ciUpper - row.estimate) / row.stdError;
  const level = 1 - 2 * normalUpperTail(z);
  // Round to the nearest 0.1 percentage point: the interval was built from a quantile of this level.
  return Math.round(level * 1000) / 1000;
}

/** Whether the fixed effects are referred to t (lmerTest's df column, "t value", "Pr(>|t|)") rather than z. */
export function usesT(r: GlmmResults): boolean {
  return r.dfMethod === 'residual' || r.dfMethod === 'satterthwaite';
}

/** The line under a fixed-effects table saying what the p-values and intervals come from. */
export function referenceNote(r: GlmmResults): string {
  const level = percent(confidenceLevel(r));
  if (r.dfMethod === 'satterthwaite') return `${level} confidence intervals and p-values from t with Satterthwaite's degrees of freedom`;
  if (r.dfMethod === 'residual') return `${level} confidence intervals and p-values from t with the residual degrees of freedom, n - p`;
  return `Wald ${level} confidence intervals; p-values from the standard normal`;
}

export function percent(level: number): string {
  return `${Number((level * 100).toFixed(1))}%`;
}

/** One displayed line of the random-effects table. */
export interface VarCorrLine {
  /** Group label as lme4 prints it, "" on continuation lines; a repeated factor gets ".1", ".2". */
  group: string;
  name: string;
  variance: number;
  stdDev: number;
  /** Correlations with the earlier columns of the same term. */
  correlations: number[];
}

/**
 * Rebuilds lme4's Random effects table from the flat rows: a block starts at
 * a variance row of a new group, or of a term name already seen in the
 * current block; covariance rows attach to the block as correlations.
 */
export function varCorrLines(rows: readonly VarianceComponentRow[]): VarCorrLine[] {
  const lines: VarCorrLine[] = [];
  const timesSeen = new Map<string, number>();
  let block: { group: string; names: string[]; lines: VarCorrLine[] } | null = null;
  for (const row of rows) {
    if (row.term2 !== undefined) {
      if (!block) continue;
      const a = block.names.indexOf(row.term ?? '');
      const b = block.names.indexOf(row.term2);
      if (a < 0 || b < 0) continue;
      const later = block.lines[Math.max(a, b)]!;
      later.correlations[Math.min(a, b)] = row.correlation ?? row.stdDev;
      continue;
    }
    const name = row.term ?? '';
    if (!block || block.group !== row.group || block.names.includes(name) || row.term === null) {
      const seen = timesSeen.get(row.group) ?? 0;
      timesSeen.set(row.group, seen + 1);
      block = { group: row.group, names: [], lines: [] };
      const label = seen === 0 ? row.group : `${row.group}.${seen}`;
      const line: VarCorrLine = { group: label, name, variance: row.variance, stdDev: row.stdDev, correlations: [] };
      block.names.push(name);
      block.lines.push(line);
      lines.push(line);
      continue;
    }
    const line: VarCorrLine = { group: '', name, variance: row.variance, stdDev: row.stdDev, correlations: [] };
    block.names.push(name);
    block.lines.push(line);
    lines.push(line);
  }
  return lines;
}

/** "Subject, 18; Item, 12" as lme4's "groups:" line. */
export function groupsLine(r: GlmmResults): string {
  return Object.entries(r.ngroups)
    .map(([g, n]) => `${g}, ${n}`)
    .join('; ');
}

/** "none" or "3 of 183 (missing: 2, non-numeric: 1)". */
export function exclusionsText(r: GlmmResults): string {
  const { count, byReason } = r.excluded;
  if (count === 0) return 'none';
  const reasons = Object.entries(byReason)
    .filter(([, k]) => k > 0)
    .map(([reason, k]) => `${reason}: ${k}`)
    .join(', ');
  return `${count} of ${count + r.nobs} rows${reasons ? ` (${reasons})` : ''}`;
}

export function convergenceText(r: GlmmResults): string {
  const c = r.convergence;
  const status = c.converged ? 'converged' : 'NOT converged';
  return `${status} (optimizer ${c.optimizer}, ${c.iterations} iterations, ${c.evaluations} evaluations)${c.message ? `: ${c.message}` : ''}`;
}

/**
 * A family parameter estimated by maximum likelihood (the negative binomial
 * shape, an ML dispersion) as "shape 2.345 (SE 0.3121)", numbers by
 * `format`; null when the fit has none.
 */
export function familyParameterText(r: GlmmResults, format: (x: number) => string): string | null {
  const p = r.familyParameter;
  if (!p) return null;
  return `${p.name} ${format(p.estimate)} (SE ${p.stdError === null ? 'not available' : format(p.stdError)})`;
}
