import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FitCase } from './cases.js';
import { extractResult, type FitSummary } from './fit-summary.js';
import { PACKAGE_ROOT, R_FIT_SCRIPT } from './paths.js';
import { GNU_TIME, hasGnuTime, parseGnuTimeMaxRssMB, withoutGnuTimeReport } from './run-command.js';
import { spawnTimed, stderrTail } from './spawn-timed.js';

export type SideOutcome =
  | { ok: true; summary: FitSummary; /** Set when the process was killed after some runs had finished. */ incomplete?: string }
  | { ok: false; error: string; /** Killed at the time limit before any run finished. */ timedOut?: boolean };

const RUN_CASE_SCRIPT = fileURLToPath(new URL('./run-case.js', import.meta.url));

/** Our side, in a fresh node process so maxRSS is this case's peak alone. */
export async function runOurs(c: FitCase, csv: string, runs: number, timeoutSeconds: number): Promise<SideOutcome> {
  const payload = JSON.stringify({
    csv,
    formula: c.formula,
    family: c.family,
    ...(c.link ? { link: c.link } : {}),
    method: c.method,
    ...(c.nAGQ ? { nAGQ: c.nAGQ } : {}),
    categorical: c.categorical,
    runs,
  });
  const res = await spawnTimed(process.execPath, [RUN_CASE_SCRIPT, payload], timeoutSeconds, PACKAGE_ROOT);
  return toOutcome(res, timeoutSeconds, null);
}

/** lme4 side via r/fit.R, under GNU time -v when available for the process's peak RSS. */
export async function runLme4(c: FitCase, csv: string, runs: number, timeoutSeconds: number): Promise<SideOutcome> {
  const rArgs = [
    R_FIT_SCRIPT,
    `--csv=${csv}`,
    `--formula=${c.formula}`,
    `--family=${c.family}`,
    `--link=${c.link ?? ''}`,
    `--method=${c.method}`,
    `--nagq=${c.nAGQ ?? 1}`,
    `--factors=${c.categorical.join(',')}`,
    `--runs=${runs}`,
  ];
  const timed = hasGnuTime();
  const res = timed
    ? await spawnTimed(GNU_TIME, ['-v', 'Rscript', ...rArgs], timeoutSeconds, PACKAGE_ROOT)
    : await spawnTimed('Rscript', rArgs, timeoutSeconds, PACKAGE_ROOT);
  return toOutcome(res, timeoutSeconds, timed ? parseGnuTimeMaxRssMB(res.stderr) : null);
}

function toOutcome(
  res: { code: number | null; stdout: string; stderr: string; timedOut: boolean },
  timeoutSeconds: number,
  externalRssMB: number | null,
): SideOutcome {
  let parsed: unknown = null;
  try {
    parsed = extractResult(res.stdout);
  } catch (e) {
    return { ok: false, error: `unparsable result: ${(e as Error).message}` };
  }
  if (res.timedOut) {
    if (parsed === null) return { ok: false, timedOut: true, error: `did not finish within ${Math.round(timeoutSeconds / 60)} min (timed out before the first run finished)` };
    const summary = parsed as FitSummary;
    return { ok: true, summary, incomplete: `timed out after ${timeoutSeconds} s with ${summary.wallSeconds.length} run(s) finished` };
  }
  if (res.code !== 0 || parsed === null) {
    return { ok: false, error: `exit ${res.code}: ${stderrTail(withoutGnuTimeReport(res.stderr)) || 'no output'}` };
  }
  const summary = parsed as FitSummary;
  return { ok: true, summary: externalRssMB !== null ? { ...summary, maxRssMB: externalRssMB } : summary };
}

/** Whether Rscript runs and has lme4 installed. */
export function lme4Available(): { ok: boolean; reason: string } {
  const r = spawnSync('Rscript', ['-e', 'quit(status = if (requireNamespace("lme4", quietly = TRUE)) 0 else 3)'], { stdio: 'ignore' });
  if (r.error) return { ok: false, reason: 'Rscript not found on PATH' };
  if (r.status === 3) return { ok: false, reason: 'R package lme4 is not installed' };
  if (r.status !== 0) return { ok: false, reason: `Rscript exited with status ${r.status}` };
  return { ok: true, reason: '' };
}
