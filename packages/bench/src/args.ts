import { resolve } from 'node:path';
import { CASE_NAMES } from './cases.js';
import { DEFAULT_OUT } from './paths.js';

export interface BenchArgs {
  readonly cases: readonly string[];
  /** Explicit --runs (both sides), or null for the defaults (ours 5; lme4 3, and 1 for the 1e6-row cases). */
  readonly runs: number | null;
  readonly withR: boolean;
  /** Whole-command runs per side and output format (0 = --no-commands). */
  readonly commandRuns: number;
  readonly out: string;
  /** Per-process limit, seconds. */
  readonly timeoutSeconds: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench -- [--cases a,b,c] [--skip a,b] [--runs N] [--command-runs N] [--no-commands] [--no-r]
                       [--out FILE.json] [--timeout-min M]

  --cases         comma-separated subset of: ${CASE_NAMES.join(', ')} (default: all)
  --skip          cases to leave out of that set (e.g. --skip lmm-1e7,poisson-1e7)
  --runs          fits per case and side in one process: the first is the cold fit, the median of the rest the warm
                  one (default: ours 5, 3 on the 1e7-row cases; lme4 3, 1 on the cases of 1e6 rows and more)
  --command-runs  whole-command runs (glmm fit --format text and json, lme4's Rscript) per case; the median is
                  reported (default 3; lme4 once on the cases of 1e6 rows and more)
  --no-commands   skip the whole-command runs
  --no-r          skip lme4 even when Rscript is on PATH
  --out           JSON results file (default bench-results/latest.json at the repository root)
  --timeout-min   kill a process after this many minutes (default 20); lme4 runs that do not finish are reported as such`;

export class BenchUsageError extends Error {}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let cases: string[] = [...CASE_NAMES];
  let runs: number | null = null;
  let commandRuns = 3;
  let skip: string[] = [];
  let withR = true;
  let out = DEFAULT_OUT;
  let timeoutSeconds = 20 * 60;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      if (raw.startsWith('--') && eq > 0) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new BenchUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--cases': {
        cases = value()
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        const unknown = cases.filter((c) => !CASE_NAMES.includes(c));
        if (unknown.length > 0) throw new BenchUsageError(`unknown case(s) ${unknown.join(', ')}; known: ${CASE_NAMES.join(', ')}`);
        if (cases.length === 0) throw new BenchUsageError('--cases needs at least one case');
        break;
      }
      case '--skip': {
        skip = value()
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        const unknown = skip.filter((c) => !CASE_NAMES.includes(c));
        if (unknown.length > 0) throw new BenchUsageError(`unknown case(s) ${unknown.join(', ')}; known: ${CASE_NAMES.join(', ')}`);
        break;
      }
      case '--runs': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) throw new BenchUsageError(`--runs must be a positive integer`);
        runs = v;
        break;
      }
      case '--command-runs': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) throw new BenchUsageError(`--command-runs must be a positive integer`);
        commandRuns = v;
        break;
      }
      case '--no-commands':
        commandRuns = 0;
        break;
      case '--timeout-min': {
        const v = Number(value());
        if (!(v > 0)) throw new BenchUsageError(`--timeout-min must be a positive number`);
        timeoutSeconds = v * 60;
        break;
      }
      case '--no-r':
        withR = false;
        break;
      case '--out':
        out = resolve(value());
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new BenchUsageError(`unknown argument "${raw}"`);
    }
  }
  cases = cases.filter((c) => !skip.includes(c));
  if (cases.length === 0) throw new BenchUsageError('no case left to run after --skip');
  return { cases, runs, commandRuns, withR, out, timeoutSeconds, help };
}
