import { fileURLToPath } from 'node:url';
import { median } from './fit-summary.js';
import { PACKAGE_ROOT, SLEEPSTUDY_CSV } from './paths.js';
import { spawnTimed, stderrTail } from './spawn-timed.js';

export interface ColdStartSide {
  /** Whole-process wall clock per repetition, seconds (after one discarded warm-up). */
  readonly wallSeconds: readonly number[];
  readonly medianSeconds: number;
  /** What the process printed, to confirm it fitted the model. */
  readonly output: string;
}

export type ColdStartOutcome = { ok: true; side: ColdStartSide } | { ok: false; error: string };

const COLDSTART_SCRIPT = fileURLToPath(new URL('./coldstart.js', import.meta.url));

function rProgram(csv: string): string {
  return [
    'suppressMessages(library(lme4))',
    `d <- read.csv(${JSON.stringify(csv)})`,
    'd$Subject <- factor(d$Subject)',
    'm <- lmer(Reaction ~ Days + (Days | Subject), data = d)',
    'print(fixef(m))',
  ].join('; ');
}

/**
 * Times `reps` fresh processes after one warm-up run that is thrown away: the
 * warm-up only fills the OS file cache, which a user's second run has too.
 */
async function timeProcess(command: string, args: readonly string[], reps: number, timeoutSeconds: number): Promise<ColdStartOutcome> {
  const walls: number[] = [];
  let output = '';
  for (let i = 0; i <= reps; i++) {
    const res = await spawnTimed(command, args, timeoutSeconds, PACKAGE_ROOT);
    if (res.timedOut) return { ok: false, error: `timed out after ${timeoutSeconds} s` };
    if (res.code !== 0) return { ok: false, error: `exit ${res.code}: ${stderrTail(res.stderr) || 'no output'}` };
    if (i > 0) walls.push(res.wallSeconds);
    output = res.stdout.trim();
  }
  return { ok: true, side: { wallSeconds: walls, medianSeconds: median(walls), output } };
}

export function coldStartOurs(reps: number, timeoutSeconds: number): Promise<ColdStartOutcome> {
  return timeProcess(process.execPath, [COLDSTART_SCRIPT, SLEEPSTUDY_CSV], reps, timeoutSeconds);
}

export function coldStartLme4(reps: number, timeoutSeconds: number): Promise<ColdStartOutcome> {
  return timeProcess('Rscript', ['-e', rProgram(SLEEPSTUDY_CSV)], reps, timeoutSeconds);
}
