/** What one side (ours or lme4) reports for a fit case; the JSON both child processes print. */
export interface FixefRow {
  readonly name: string;
  readonly estimate: number;
  readonly stdError: number;
}

export interface FitSummary {
  /** Seconds to read the CSV into memory. */
  readonly loadSeconds: number;
  /** Per run: the estimator's own time (ours: results.timing.fitSeconds; lme4: same as wall). */
  readonly fitSeconds: readonly number[];
  /** Per run: wall time of the whole fitting call (ours: fitGlmm; lme4: system.time(lmer/glmer)). */
  readonly wallSeconds: readonly number[];
  /** Rows used in the fit. */
  readonly nobs: number;
  readonly logLik: number;
  readonly fixef: readonly FixefRow[];
  readonly theta: readonly number[];
  readonly converged: boolean;
  readonly optimizer: string;
  readonly messages: readonly string[];
  /** Peak resident set size of the whole process, MB. */
  readonly maxRssMB: number | null;
}

/** Marker in front of the JSON line, so package startup chatter on stdout cannot confuse the parser. */
export const RESULT_MARKER = 'BENCH_RESULT_JSON ';

/** The last result line: children print one after every run, each covering all runs so far. */
export function extractResult(stdout: string): unknown {
  const line = stdout
    .split('\n')
    .filter((l) => l.startsWith(RESULT_MARKER))
    .pop();
  if (!line) return null;
  return JSON.parse(line.slice(RESULT_MARKER.length)) as unknown;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The first fit of a fresh process: what a user's one command pays (code not yet compiled, caches cold). */
export function coldSeconds(s: FitSummary): number {
  return s.wallSeconds[0] ?? Number.NaN;
}

/** Median of the fits after the first, or null after a single run. */
export function warmSeconds(s: FitSummary): number | null {
  return s.wallSeconds.length > 1 ? median(s.wallSeconds.slice(1)) : null;
}
