import { exprColumns } from './expr.js';
import type { Formula, TermSet } from './formula.js';

function termSetColumns(t: TermSet, out: string[]): void {
  for (const v of t.variables) exprColumns(v.expr, out);
}

/**
 * The data columns a formula reads, in order of first appearance: the
 * response's, the fixed effects', those inside random terms, the grouping
 * factors and offsets. What a per-row output file repeats next to the
 * fitted values, as broom.mixed's augment() does with the model frame.
 */
export function formulaColumns(f: Formula): string[] {
  const out: string[] = [];
  const r = f.response;
  if (r.kind === 'column') out.includes(r.column) || out.push(r.column);
  else if (r.kind === 'expression') exprColumns(r.expr, out);
  else {
    exprColumns(r.successes, out);
    exprColumns(r.failures, out);
  }
  termSetColumns(f.fixed, out);
  for (const rs of f.random) {
    termSetColumns(rs.lhs, out);
    for (const g of rs.factors) if (!out.includes(g)) out.push(g);
  }
  for (const o of f.offsets) exprColumns(o, out);
  return out;
}
