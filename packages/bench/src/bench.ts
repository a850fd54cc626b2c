import { cpus } from 'node:os';
import { BENCH_CASES, type BenchCase, type FitCase } from './cases.js';
import { compareFits, type Comparison } from './compare.js';
import { median } from './fit-summary.js';
import { ensureSyntheticCsv } from './generate.js';
import { ensureCrossedSlopesCsv } from './crossed-slopes.js';
import { libraryBuildStamp } from './library-build.js';
import { CACHE_DIR } from './paths.js';
import { coldStartLme4, coldStartOurs, type ColdStartOutcome } from './run-coldstart.js';
import { lme4Available, runLme4, runOurs, type SideOutcome } from './run-sides.js';
import type { TableRow } from './table.js';

export interface FitCaseResult {
  readonly kind: 'fit';
  readonly name: string;
  readonly description: string;
  readonly formula: string;
  readonly family: string;
  readonly method: string;
  readonly csv: string;
  /** Our fits (median reported). */
  readonly runs: number;
  /** lme4's fits (median reported). */
  readonly lme4Runs: number;
  /** Newest built library file when the case started (see libraryBuildStamp). */
  readonly libraryBuild: string | null;
  readonly ours: SideOutcome;
  readonly lme4: SideOutcome | null;
  readonly comparison: Comparison | null;
}

export interface ColdStartResult {
  readonly kind: 'coldstart';
  readonly name: string;
  readonly description: string;
  readonly reps: number;
  readonly libraryBuild: string | null;
  readonly ours: ColdStartOutcome;
  readonly lme4: ColdStartOutcome | null;
}

export type CaseResult = FitCaseResult | ColdStartResult;

export interface BenchReport {
  readonly startedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly lme4: { readonly used: boolean; readonly reason: string };
  readonly results: CaseResult[];
}

export interface BenchOptions {
  readonly cases: readonly string[];
  readonly runs: number | null;
  readonly withR: boolean;
  readonly timeoutSeconds: number;
  /** Progress lines (stderr in the CLI). */
  readonly log: (line: string) => void;
  /** Called after each case, e.g. to save partial results. */
  readonly onCase?: (report: BenchReport) => void;
}

export const COLDSTART_REPS = 5;

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const r = opts.withR ? lme4Available() : { ok: false, reason: 'disabled by --no-r' };
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    lme4: { used: r.ok, reason: r.reason },
    results: [],
  };
  if (!r.ok) opts.log(`lme4 side skipped: ${r.reason}`);
  const selected = BENCH_CASES.filter((c) => opts.cases.includes(c.name));
  for (const c of selected) {
    report.results.push(await runCase(c, r.ok, opts));
    opts.onCase?.(report);
  }
  return report;
}

async function runCase(c: BenchCase, withR: boolean, opts: BenchOptions): Promise<CaseResult> {
  const libraryBuild = libraryBuildStamp();
  if (c.kind === 'coldstart') {
    opts.log(`[coldstart] ours: ${COLDSTART_REPS} fresh node processes (+1 warm-up)`);
    const ours = await coldStartOurs(COLDSTART_REPS, opts.timeoutSeconds);
    opts.log(`[coldstart] ours: ${describeCold(ours)}`);
    let lme4: ColdStartOutcome | null = null;
    if (withR) {
      opts.log(`[coldstart] lme4: ${COLDSTART_REPS} fresh Rscript processes (+1 warm-up)`);
      lme4 = await coldStartLme4(COLDSTART_REPS, opts.timeoutSeconds);
      opts.log(`[coldstart] lme4: ${describeCold(lme4)}`);
    }
    return { kind: 'coldstart', name: c.name, description: c.description, reps: COLDSTART_REPS, libraryBuild, ours, lme4 };
  }
  const csv = dataPath(c, opts.log);
  // Our fits take seconds at most, so several runs (median) everywhere; lme4
  // takes minutes on the 1e6-row cases, where it runs once.
  const runs = opts.runs ?? 5;
  const lme4Runs = opts.runs ?? (c.large ? 1 : 3);
  opts.log(`[${c.name}] ours: ${runs} run(s)`);
  const ours = await runOurs(c, csv, runs, opts.timeoutSeconds);
  opts.log(`[${c.name}] ours: ${describeFit(ours)}`);
  let lme4: SideOutcome | null = null;
  if (withR) {
    opts.log(`[${c.name}] lme4: ${lme4Runs} run(s)`);
    lme4 = await runLme4(c, csv, lme4Runs, opts.timeoutSeconds);
    opts.log(`[${c.name}] lme4: ${describeFit(lme4)}`);
  }
  const comparison = ours.ok && lme4?.ok ? compareFits(ours.summary, lme4.summary) : null;
  return {
    kind: 'fit',
    name: c.name,
    description: c.description,
    formula: c.formula,
    family: c.family,
    method: c.method,
    csv,
    runs,
    lme4Runs,
    libraryBuild,
    ours,
    lme4,
    comparison,
  };
}

function dataPath(c: FitCase, log: (line: string) => void): string {
  if ('csv' in c.source) return c.source.csv;
  const t0 = performance.now();
  const { path, generated } =
    'synthetic' in c.source ? ensureSyntheticCsv(c.source.synthetic, CACHE_DIR) : ensureCrossedSlopesCsv(c.source.crossedSlopes, CACHE_DIR);
  if (generated) log(`[${c.name}] generated ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return path;
}

function describeFit(o: SideOutcome): string {
  if (!o.ok) return `FAILED: ${o.error}`;
  const s = o.summary;
  return `${o.incomplete ? `${o.incomplete}; ` : ''}load ${s.loadSeconds.toFixed(2)} s, fit ${median(s.wallSeconds).toFixed(2)} s, logLik ${s.logLik.toFixed(4)}, RSS ${s.maxRssMB === null ? '?' : s.maxRssMB.toFixed(0)} MB`;
}

function describeCold(o: ColdStartOutcome): string {
  return o.ok ? `median ${o.side.medianSeconds.toFixed(2)} s` : `FAILED: ${o.error}`;
}

/** The printed row of a case. */
export function toTableRow(res: CaseResult): TableRow {
  if (res.kind === 'coldstart') {
    const ours = res.ours.ok ? res.ours.side.medianSeconds : null;
    const lme4 = res.lme4?.ok ? res.lme4.side.medianSeconds : null;
    return {
      name: res.name,
      n: 180,
      oursLoad: null,
      oursFit: null,
      oursTotal: ours,
      oursRssMB: null,
      lme4Load: null,
      lme4Fit: lme4,
      lme4RssMB: null,
      ratio: ours !== null && lme4 !== null ? lme4 / ours : null,
      absLogLikDiff: null,
      maxBetaDiffOverSE: null,
      flag: !res.ours.ok ? 'OURS FAILED' : res.lme4 && !res.lme4.ok ? 'LME4 FAILED' : '',
    };
  }
  const o = res.ours.ok ? res.ours.summary : null;
  const r = res.lme4?.ok ? res.lme4.summary : null;
  const cmp = res.comparison;
  return {
    name: res.name,
    n: o?.nobs ?? r?.nobs ?? null,
    oursLoad: o ? o.loadSeconds : null,
    oursFit: o ? median(o.fitSeconds) : null,
    oursTotal: o ? median(o.wallSeconds) : null,
    oursRssMB: o ? o.maxRssMB : null,
    lme4Load: r ? r.loadSeconds : null,
    lme4Fit: r ? median(r.wallSeconds) : null,
    lme4RssMB: r ? r.maxRssMB : null,
    ratio: cmp ? cmp.speedRatio : null,
    absLogLikDiff: cmp ? Math.abs(cmp.logLikDiff) : null,
    maxBetaDiffOverSE: cmp ? cmp.maxBetaDiffOverSE : null,
    flag: [
      !res.ours.ok ? 'OURS FAILED' : res.ours.incomplete ? 'ours timeout' : '',
      res.lme4 && !res.lme4.ok ? 'LME4 FAILED' : res.lme4?.ok && res.lme4.incomplete ? 'lme4 timeout' : '',
      cmp?.flag ?? '',
    ]
      .filter((f) => f !== '')
      .join(', '),
  };
}

/** Footnotes under the table: failures and every comparison note, per case. */
export function reportNotes(results: readonly CaseResult[]): string[] {
  const notes: string[] = [];
  const builds = new Map<string, string[]>();
  for (const r of results) {
    const key = r.libraryBuild ?? 'unknown';
    builds.set(key, [...(builds.get(key) ?? []), r.name]);
  }
  if (builds.size > 1)
    notes.push(`the library was rebuilt during the run; builds (newest dist file) and their cases: ${[...builds].map(([b, names]) => `${b}: ${names.join(', ')}`).join('; ')}`);
  for (const res of results) {
    if (!res.ours.ok) notes.push(`${res.name}: ours failed: ${res.ours.error}`);
    if (res.lme4 && !res.lme4.ok) notes.push(`${res.name}: lme4 failed: ${res.lme4.error}`);
    if (res.kind === 'fit' && res.ours.ok && res.ours.incomplete) notes.push(`${res.name}: ours ${res.ours.incomplete}`);
    if (res.kind === 'fit' && res.lme4?.ok && res.lme4.incomplete) notes.push(`${res.name}: lme4 ${res.lme4.incomplete}`);
    if (res.kind === 'fit' && res.comparison) for (const n of res.comparison.notes) notes.push(`${res.name}: ${n}`);
  }
  return notes;
}
