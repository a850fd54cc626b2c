#!/usr/bin/env node
/** `npm run bench`: side-by-side timings of @glmm/glmm and lme4 on the same CSVs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { BenchUsageError, parseBenchArgs, USAGE } from './args.js';
import { reportNotes, runBench, toCommandRow, toFitRow, type BenchReport } from './bench.js';
import { formatCommandTable, formatFitTable, type CommandRow, type FitRow } from './table.js';

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

  const fitRows = report.results.map(toFitRow).filter((r): r is FitRow => r !== null);
  const commandRows = report.results.map(toCommandRow).filter((r): r is CommandRow => r !== null);
  const lines = [
    '',
    `glmm vs lme4 — node ${report.node}, ${report.cpu}${report.lme4.used ? '' : ` (lme4 skipped: ${report.lme4.reason})`}`,
  ];
  if (fitRows.length > 0)
    lines.push(
      '',
      'Fit, data in memory (seconds; model frame, estimation and results, as system.time(lmer/glmer(...)) covers):',
      '',
      formatFitTable(fitRows),
      '',
      '"cold" is the first fit of a fresh process (what one command pays), "warm" the median of the fits after it in the same',
      'process; R/ours divides lme4\'s time by ours (> 1: we are faster); lme4 ran once on the cases of 1e6 rows and more, and',
      'its single fit is compared with both of ours there. |dlogLik| and max|db|/SE compare the two optima.',
    );
  if (commandRows.length > 0)
    lines.push(
      '',
      'Whole command, process start to printed summary (seconds, median of runs; MB = peak RSS of the process, GNU time):',
      '',
      formatCommandTable(commandRows),
      '',
      'text/json: glmm fit ... --format text|json (the built CLI); R: Rscript that loads lme4, reads the CSV with read.csv,',
      'fits and prints summary(). coldstart: a fresh process that loads the library, fits sleepstudy and prints (median of 5).',
    );
  const notes = reportNotes(report.results);
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((n) => `  - ${n}`));
  const rel = relative(process.cwd(), out);
  lines.push('', `JSON: ${rel.startsWith('..') || rel === '' ? out : rel}`, '');
  process.stdout.write(lines.join('\n'));
  const commandFailed = (r: BenchReport['results'][number]) => r.kind === 'fit' && r.commands !== null && (!r.commands.text.ok || !r.commands.json.ok);
  return report.results.some((r) => !r.ours.ok || commandFailed(r)) ? 1 : 0;
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
