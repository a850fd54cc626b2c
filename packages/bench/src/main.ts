#!/usr/bin/env node
/** `npm run bench`: side-by-side timings of @glmm/glmm and lme4 on the same CSVs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { BenchUsageError, parseBenchArgs, USAGE } from './args.js';
import { reportNotes, runBench, toTableRow, type BenchReport } from './bench.js';
import { formatTable } from './table.js';

function save(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof BenchUsageError) {
      process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  const log = (line: string) => process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0).padStart(5)}s  ${line}\n`);
  const out = args.out;
  const report = await runBench({ ...args, log, onCase: (r) => save(out, r) });
  save(out, report);

  const lines = [
    '',
    `glmm vs lme4 — node ${report.node}, ${report.cpu}${report.lme4.used ? '' : ` (lme4 skipped: ${report.lme4.reason})`}`,
    '',
    formatTable(report.results.map(toTableRow)),
    '',
    'Times in seconds; "fit s" is timing.fitSeconds (model frame, estimation and results, data in memory), "total s" the wall time of the fitGlmm call, "R fit s" system.time of lmer/glmer; median of the runs.',
    'R/ours = lme4 total / our total (> 1: we are faster). RSS = peak resident memory of the case\'s process (includes the CSV load).',
    'coldstart: wall clock of a fresh process that loads the library, fits sleepstudy and prints (median of 5).',
  ];
  const notes = reportNotes(report.results);
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((n) => `  - ${n}`));
  const rel = relative(process.cwd(), out);
  lines.push('', `JSON: ${rel.startsWith('..') || rel === '' ? out : rel}`, '');
  process.stdout.write(lines.join('\n'));
  return report.results.some((r) => !r.ours.ok) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
