import { resolve } from 'node:path';
import { CASE_NAMES } from './cases.js';
import { DEFAULT_OUT } from './paths.js';

export interface BenchArgs {
  readonly cases: readonly string[];
  /** Explicit --runs (both sides), or null for the defaults (ours 5; lme4 3, and 1 for the 1e6-row cases). */
  readonly runs: number | null;
  readonly withR: boolean;
  readonly out: string;
  /** Per-process limit, seconds. */
  readonly timeoutSeconds: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench -- [--cases a,b,c] [--runs N] [--no-r] [--out FILE.json] [--timeout-min M]

  --cases      comma-separated subset of: ${CASE_NAMES.join(', ')} (default: all)
  --runs       fits per case and side; the median is reported (default: ours 5; lme4 3, 1 for the 1e6-row cases)
  --no-r       skip lme4 even when Rscript is on PATH
  --out        JSON results file (default bench-results/latest.json at the repository root)
  --timeout-min  kill a side's process after this many minutes (default 20)`;

export class BenchUsageError extends Error {}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let cases: string[] = [...CASE_NAMES];
  let runs: number | null = null;
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
      case '--runs': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) throw new BenchUsageError(`--runs must be a positive integer`);
        runs = v;
        break;
      }
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
  return { cases, runs, withR, out, timeoutSeconds, help };
}
