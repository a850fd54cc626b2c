import { cpus } from 'node:os';
import { BENCH_CASES, type BenchCase, type FitCase } from './cases.js';
import { compareFits, LOGLIK_TOLERANCE, type Comparison } from './compare.js';
import { coldSeconds, warmSeconds } from './fit-summary.js';
import { ensureSyntheticCsv } from './generate.js';
import { ensureCrossedSlopesCsv } from './crossed-slopes.js';
import { libraryBuildStamp } from './library-build.js';
import { CACHE_DIR } from './paths.js';
import { coldStartLme4, coldStartOurs, type ColdStartOutcome } from './run-coldstart.js';
import { lme4Command, ourCommand, timeCommand, type CommandOutcome } from './run-command.js';
import { lme4Available, runLme4, runOurs, type SideOutcome } from './run-sides.js';
import type { CommandRow, FitRow } from './table.js';

/** The whole commands of a fit case (null where not run: --no-whole, or lme4 skipped). */
export interface CommandResults {
  readonly runs: number;
  readonly text: CommandOutcome;
  readonly json: CommandOutcome;
  readonly lme4: CommandOutcome | null;
}

export interface FitCaseResult {
  readonly kind: 'fit';
  readonly name: string;
  readonly description: string;
  readonly formula: string;
  readonly family: string;
  readonly link?: string;
  readonly method: string;
  readonly nAGQ?: number;
  readonly csv: string;
  /** Our fits in one process: the first is the cold one, the median of the rest the warm one. */
  readonly runs: number;
  /** lme4's fits (median reported). */
  readonly lme4Runs: number;
  /** Newest built library file when the case started (see libraryBuildStamp). */
  readonly libraryBuild: string | null;
  readonly ours: SideOutcome;
  readonly lme4: SideOutcome | null;
  readonly comparison: Comparison | null;
  readonly commands: CommandResults | null;
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
  /** Whole-command runs per side and format; 0 skips them. */
  readonly commandRuns: number;
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
  const runs = opts.runs ?? (c.huge ? 3 : 5);
  const lme4Runs = opts.runs ?? (c.large ? 1 : 3);
  opts.log(`[${c.name}] ours: ${runs} fit(s) in one process`);
  const ours = await runOurs(c, csv, runs, opts.timeoutSeconds);
  opts.log(`[${c.name}] ours: ${describeFit(ours)}`);
  let lme4: SideOutcome | null = null;
  if (withR) {
    opts.log(`[${c.name}] lme4: ${lme4Runs} fit(s) in one process`);
    lme4 = await runLme4(c, csv, lme4Runs, opts.timeoutSeconds);
    opts.log(`[${c.name}] lme4: ${describeFit(lme4)}`);
  }
  const comparison = ours.ok && lme4?.ok ? compareFits(ours.summary, lme4.summary) : null;
  const commands = opts.commandRuns > 0 ? await runCommands(c, csv, withR, lme4, opts) : null;
  return {
    kind: 'fit',
    name: c.name,
    description: c.description,
    formula: c.formula,
    family: c.family,
    ...(c.link ? { link: c.link } : {}),
    method: c.method,
    ...(c.nAGQ ? { nAGQ: c.nAGQ } : {}),
    csv,
    runs,
    lme4Runs,
    libraryBuild,
    ours,
    lme4,
    comparison,
    commands,
  };
}

/**
 * The whole commands: ours with the text and the JSON output, lme4's Rscript.
 * lme4's is not started when its fit already ran past the time limit: the
 * command would only run past it again.
 */
async function runCommands(c: FitCase, csv: string, withR: boolean, lme4Fit: SideOutcome | null, opts: BenchOptions): Promise<CommandResults> {
  const runs = opts.commandRuns;
  const lme4Runs = c.large ? 1 : runs;
  opts.log(`[${c.name}] commands: glmm fit --format text, --format json (${runs} each)`);
  const text = await timeCommand(ourCommand(c, csv, 'text'), runs, opts.timeoutSeconds);
  const json = await timeCommand(ourCommand(c, csv, 'json'), runs, opts.timeoutSeconds);
  opts.log(`[${c.name}] commands: text ${describeCommand(text)}; json ${describeCommand(json)}`);
  let lme4: CommandOutcome | null = null;
  if (withR) {
    if (lme4Fit !== null && !lme4Fit.ok && lme4Fit.timedOut) {
      lme4 = { ok: false, skipped: true, error: `not run: lme4's fit did not finish within ${Math.round(opts.timeoutSeconds / 60)} min` };
    } else {
      opts.log(`[${c.name}] commands: Rscript (read.csv, fit, summary) x ${lme4Runs}`);
      lme4 = await timeCommand(lme4Command(c, csv), lme4Runs, opts.timeoutSeconds);
      opts.log(`[${c.name}] commands: lme4 ${describeCommand(lme4)}`);
    }
  }
  return { runs, text, json, lme4 };
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
  const warm = warmSeconds(s);
  return `${o.incomplete ? `${o.incomplete}; ` : ''}load ${s.loadSeconds.toFixed(2)} s, fit cold ${coldSeconds(s).toFixed(3)} s${warm === null ? '' : `, warm ${warm.toFixed(3)} s`}, logLik ${s.logLik.toFixed(4)}`;
}

function describeCommand(o: CommandOutcome): string {
  if (!o.ok) return `FAILED: ${o.error}`;
  return `${o.side.medianSeconds.toFixed(2)} s, ${o.side.maxRssMB === null ? '?' : o.side.maxRssMB.toFixed(0)} MB`;
}

function describeCold(o: ColdStartOutcome): string {
  return o.ok ? `median ${o.side.medianSeconds.toFixed(2)} s` : `FAILED: ${o.error}`;
}

function okSide(o: CommandOutcome | null | undefined): CommandOutcome & { ok: true } | null {
  return o?.ok ? o : null;
}

/** The row of the fit table (null for the coldstart case, which is a command only). */
export function toFitRow(res: CaseResult): FitRow | null {
  if (res.kind === 'coldstart') return null;
  const o = res.ours.ok ? res.ours.summary : null;
  const r = res.lme4?.ok ? res.lme4.summary : null;
  const cmp = res.comparison;
  return {
    name: res.name,
    n: o?.nobs ?? r?.nobs ?? null,
    oursLoad: o ? o.loadSeconds : null,
    oursCold: o ? coldSeconds(o) : null,
    oursWarm: o ? warmSeconds(o) : null,
    lme4Load: r ? r.loadSeconds : null,
    lme4Cold: r ? coldSeconds(r) : null,
    lme4Warm: r ? warmSeconds(r) : null,
    ratioCold: cmp ? cmp.speedRatioCold : null,
    ratioWarm: cmp ? cmp.speedRatioWarm : null,
    absLogLikDiff: cmp ? Math.abs(cmp.logLikDiff) : null,
    maxBetaDiffOverSE: cmp ? cmp.maxBetaDiffOverSE : null,
    flag: [
      !res.ours.ok ? 'OURS FAILED' : res.ours.incomplete ? 'ours timeout' : '',
      res.lme4 && !res.lme4.ok ? (res.lme4.timedOut ? `lme4 > limit` : 'LME4 FAILED') : res.lme4?.ok && res.lme4.incomplete ? 'lme4 timeout' : '',
      cmp?.flag ?? '',
    ]
      .filter((f) => f !== '')
      .join(', '),
  };
}

/** The row of the whole-command table. */
export function toCommandRow(res: CaseResult): CommandRow | null {
  if (res.kind === 'coldstart') {
    const ours = res.ours.ok ? res.ours.side.medianSeconds : null;
    const lme4 = res.lme4?.ok ? res.lme4.side.medianSeconds : null;
    return {
      name: res.name,
      n: 180,
      text: ours,
      textRssMB: null,
      json: null,
      jsonRssMB: null,
      lme4,
      lme4RssMB: null,
      ratioText: ours !== null && lme4 !== null ? lme4 / ours : null,
      ratioJson: null,
      flag: !res.ours.ok ? 'OURS FAILED' : res.lme4 && !res.lme4.ok ? 'LME4 FAILED' : '',
    };
  }
  const cmd = res.commands;
  if (cmd === null) return null;
  const text = okSide(cmd.text);
  const json = okSide(cmd.json);
  const lme4 = okSide(cmd.lme4);
  const ratio = (ours: typeof text) => (ours && lme4 ? lme4.side.medianSeconds / ours.side.medianSeconds : null);
  return {
    name: res.name,
    n: res.ours.ok ? res.ours.summary.nobs : null,
    text: text?.side.medianSeconds ?? null,
    textRssMB: text?.side.maxRssMB ?? null,
    json: json?.side.medianSeconds ?? null,
    jsonRssMB: json?.side.maxRssMB ?? null,
    lme4: lme4?.side.medianSeconds ?? null,
    lme4RssMB: lme4?.side.maxRssMB ?? null,
    ratioText: ratio(text),
    ratioJson: ratio(json),
    flag: [
      !cmd.text.ok ? 'TEXT FAILED' : '',
      !cmd.json.ok ? 'JSON FAILED' : '',
      cmd.lme4 && !cmd.lme4.ok ? (cmd.lme4.skipped ? 'lme4 not run' : /did not finish/.test(cmd.lme4.error) ? 'lme4 > limit' : 'LME4 FAILED') : '',
    ]
      .filter((f) => f !== '')
      .join(', '),
  };
}

/** Footnotes under the tables: failures and every comparison note, per case. */
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
    if (res.kind !== 'fit') continue;
    if (res.ours.ok && res.ours.incomplete) notes.push(`${res.name}: ours ${res.ours.incomplete}`);
    if (res.lme4?.ok && res.lme4.incomplete) notes.push(`${res.name}: lme4 ${res.lme4.incomplete}`);
    if (res.comparison) for (const n of res.comparison.notes) notes.push(`${res.name}: ${n}`);
    const cmd = res.commands;
    if (cmd === null) continue;
    for (const [label, o] of [['glmm fit --format text', cmd.text], ['glmm fit --format json', cmd.json], ["lme4's Rscript", cmd.lme4]] as const) {
      if (o && !o.ok) notes.push(`${res.name}: ${label}: ${o.error}`);
    }
    // The commands fit again: they must land where the fit processes did.
    const fitLogLik = res.ours.ok ? res.ours.summary.logLik : null;
    const jsonLogLik = cmd.json.ok ? cmd.json.side.logLik : null;
    if (fitLogLik !== null && jsonLogLik !== null && Math.abs(fitLogLik - jsonLogLik) > LOGLIK_TOLERANCE)
      notes.push(`${res.name}: the JSON command's logLik ${jsonLogLik} differs from the fit's ${fitLogLik}`);
    const rFit = res.lme4?.ok ? res.lme4.summary.logLik : null;
    const rCmd = cmd.lme4?.ok ? cmd.lme4.side.logLik : null;
    if (rFit !== null && rCmd !== null && Math.abs(rFit - rCmd) > LOGLIK_TOLERANCE)
      notes.push(`${res.name}: lme4's command logLik ${rCmd} differs from its fit's ${rFit}`);
  }
  return notes;
}
