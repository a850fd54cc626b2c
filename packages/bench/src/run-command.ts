import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { FitCase } from './cases.js';
import { median } from './fit-summary.js';
import { CLI_BIN, PACKAGE_ROOT, R_COMMAND_SCRIPT } from './paths.js';
import { spawnTimed, stderrTail } from './spawn-timed.js';

/**
 * The whole command a user runs, timed from process start to exit (the
 * summary printed): `glmm fit ... --format text|json` on our side, Rscript
 * reading the CSV, fitting and printing summary() on lme4's. Every process
 * runs under GNU time, whose maximum resident set size is the peak RSS of
 * both sides, measured the same way.
 */
export interface CommandSide {
  /** Wall clock per run, seconds. */
  readonly wallSeconds: readonly number[];
  readonly medianSeconds: number;
  /** Largest peak RSS over the runs, MB (null without GNU time). */
  readonly maxRssMB: number | null;
  /** The log-likelihood the command printed (JSON's fit.logLik, R's BENCH_LOGLIK line), to confirm the optimum. */
  readonly logLik: number | null;
  /** Bytes the command wrote to stdout (the size of the JSON, for one). */
  readonly stdoutBytes: number;
}

export type CommandOutcome =
  | { ok: true; side: CommandSide }
  | { ok: false; error: string; /** The side was not run (e.g. its fit had already timed out). */ skipped?: boolean };

export type OurFormat = 'text' | 'json';

export const GNU_TIME = '/usr/bin/time';

let gnuTime: boolean | undefined;
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) gnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', 'true'], { stdio: 'ignore' }).status === 0;
  return gnuTime;
}

/** GNU time -v reports "Maximum resident set size (kbytes): N". */
export function parseGnuTimeMaxRssMB(stderr: string): number | null {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(stderr);
  return m ? Number(m[1]) / 1024 : null;
}

/** GNU time's report lines are tab-indented (plus a "Command exited ..." line); drop them from error text. */
export function withoutGnuTimeReport(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.startsWith('\t') && !l.startsWith('Command exited with non-zero status'))
    .join('\n');
}

/** Our command line for a case: the built `glmm` launcher, as `npx glmm` runs it. */
export function ourCommand(c: FitCase, csv: string, format: OurFormat): string[] {
  return [
    process.execPath,
    CLI_BIN,
    'fit',
    '--data',
    csv,
    '--formula',
    c.formula,
    '--family',
    c.family,
    ...(c.link ? ['--link', c.link] : []),
    '--method',
    c.method,
    ...(c.nAGQ ? ['--nagq', String(c.nAGQ)] : []),
    ...(c.categorical.length > 0 ? ['--categorical', c.categorical.join(',')] : []),
    '--format',
    format,
  ];
}

export function lme4Command(c: FitCase, csv: string): string[] {
  return [
    'Rscript',
    R_COMMAND_SCRIPT,
    `--csv=${csv}`,
    `--formula=${c.formula}`,
    `--family=${c.family}`,
    `--link=${c.link ?? ''}`,
    `--method=${c.method}`,
    `--nagq=${c.nAGQ ?? 1}`,
    `--factors=${c.categorical.join(',')}`,
  ];
}

function printedLogLik(stdout: string): number | null {
  const r = /BENCH_LOGLIK (\S+)/.exec(stdout);
  if (r) return Number(r[1]);
  try {
    const json = JSON.parse(stdout) as { fit?: { logLik?: unknown } };
    return typeof json.fit?.logLik === 'number' ? json.fit.logLik : null;
  } catch {
    return null;
  }
}

/** Runs a command `runs` times (each a fresh process), median wall clock and largest peak RSS. */
export async function timeCommand(argv: readonly string[], runs: number, timeoutSeconds: number): Promise<CommandOutcome> {
  const timed = hasGnuTime();
  const walls: number[] = [];
  let rss: number | null = null;
  let logLik: number | null = null;
  let stdoutBytes = 0;
  for (let i = 0; i < runs; i++) {
    const [command, ...args] = argv as [string, ...string[]];
    const res = timed
      ? await spawnTimed(GNU_TIME, ['-v', command, ...args], timeoutSeconds, PACKAGE_ROOT)
      : await spawnTimed(command, args, timeoutSeconds, PACKAGE_ROOT);
    if (res.timedOut) {
      return walls.length > 0
        ? { ok: true, side: { wallSeconds: walls, medianSeconds: median(walls), maxRssMB: rss, logLik, stdoutBytes } }
        : { ok: false, error: `did not finish within ${Math.round(timeoutSeconds / 60)} min` };
    }
    if (res.code !== 0) return { ok: false, error: `exit ${res.code}: ${stderrTail(withoutGnuTimeReport(res.stderr)) || 'no output'}` };
    walls.push(res.wallSeconds);
    const r = timed ? parseGnuTimeMaxRssMB(res.stderr) : null;
    if (r !== null) rss = Math.max(rss ?? 0, r);
    logLik = printedLogLik(res.stdout);
    stdoutBytes = Buffer.byteLength(res.stdout);
  }
  return { ok: true, side: { wallSeconds: walls, medianSeconds: median(walls), maxRssMB: rss, logLik, stdoutBytes } };
}
