/**
 * Child-process entry: fits one case and prints a FitSummary.  Each case runs
 * in its own process so its peak RSS (maxRSS) belongs to that case alone, and
 * its first fit is a cold one (the fitting code not yet compiled), as a
 * user's single command is.
 * argv[2]: JSON { csv, formula, family, link?, method, nAGQ?, categorical, runs }.
 */
import { fitGlmm, readCsvFile } from '@glmm/glmm';
import type { GlmmResults } from '@glmm/glmm';
import { RESULT_MARKER, type FitSummary } from './fit-summary.js';

interface CaseArgs {
  csv: string;
  formula: string;
  family: string;
  link?: string;
  method: string;
  nAGQ?: number;
  categorical: string[];
  runs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as CaseArgs;
const t0 = performance.now();
const table = readCsvFile(args.csv);
const loadSeconds = (performance.now() - t0) / 1000;

const fitSeconds: number[] = [];
const wallSeconds: number[] = [];
for (let r = 0; r < Math.max(1, args.runs); r++) {
  const w0 = performance.now();
  const res = fitGlmm({
    formula: args.formula,
    data: table,
    family: args.family,
    ...(args.link ? { link: args.link } : {}),
    method: args.method,
    ...(args.nAGQ ? { options: { nAGQ: args.nAGQ } } : {}),
    ...(args.categorical.length > 0 ? { categorical: args.categorical } : {}),
  });
  wallSeconds.push((performance.now() - w0) / 1000);
  fitSeconds.push(res.timing.fitSeconds);
  // A result line after every run: if the parent kills a slow case, the finished runs still count.
  report(res);
}

function report(last: GlmmResults): void {
  const summary: FitSummary = {
    loadSeconds,
    fitSeconds,
    wallSeconds,
    nobs: last.nobs,
    logLik: last.fit.logLik,
    fixef: last.fixedEffects.map((f) => ({ name: f.name, estimate: f.estimate, stdError: f.stdError })),
    theta: last.theta,
    converged: last.convergence.converged,
    optimizer: last.convergence.optimizer,
    messages: last.warnings.map((w) => `${w.code}: ${w.message}`),
    // maxRSS is in kilobytes.
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(summary)}\n`);
}
