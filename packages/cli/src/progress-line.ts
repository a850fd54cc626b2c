import type { FitProgress } from '@glmm/core';

/** Where the progress line goes: stderr, or a fake terminal in tests. */
export interface ProgressTarget {
  write(s: string): void;
  /** Only a terminal gets a progress line: it is redrawn in place, which a log file or pipe would keep. */
  readonly isTTY: boolean;
  readonly columns?: number;
}

export interface ProgressLineOptions {
  /** Nothing is drawn before the fit has run this long: short fits stay silent. */
  readonly delayMs?: number;
  /** Shortest time between redraws. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/**
 * One line on stderr that shows how a long fit is getting on, redrawn in
 * place from the fit's progress events and cleared when it ends.  The fit
 * runs synchronously, so the line is drawn from the progress callback and
 * never from a timer.
 */
export class ProgressLine {
  private readonly started: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly target: ProgressTarget,
    options: ProgressLineOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 1000;
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  /** The progress callback: `onProgress: (p) => line.update(p)`. */
  update(progress: FitProgress): void {
    if (!this.target.isTTY) return;
    const t = this.now();
    const elapsed = t - this.started;
    if (elapsed < this.delayMs || t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    const width = Math.max(20, (this.target.columns ?? 80) - 1);
    const text = `glmm [${(elapsed / 1000).toFixed(1)} s] ${describe(progress)}`;
    // Carriage return, the text cut to the terminal's width, then erase to the end of the line.
    this.target.write(`\r${text.length > width ? `${text.slice(0, width - 1)}…` : text}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line, so that the summary or an error starts on a clean line. */
  done(): void {
    if (this.drawn) this.target.write('\r\x1b[K');
    this.drawn = false;
  }
}

const number = (x: number): string => (Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(4) : String(Number(x.toPrecision(8))));

/** What a progress event says, in a few words; control characters of a plugin's note are dropped. */
export function describe(p: FitProgress): string {
  const note = p.message ? ` [${p.message.replace(/[\u0000-\u001f\u007f]/g, ' ')}]` : '';
  const rows = p.rowsScanned !== undefined ? `, ${p.rowsScanned.toLocaleString('en-US')} rows` : '';
  switch (p.stage) {
    case 'model-frame':
      return `building the model frame${rows}${note}`;
    case 'start':
      return `finding starting values${note}`;
    case 'iteration': {
      const parts = [`iteration ${p.iteration ?? '?'}`];
      if (p.deviance !== undefined) parts.push(`deviance ${number(p.deviance)}`);
      if (p.evaluations !== undefined) parts.push(`${p.evaluations} evaluations`);
      return `fitting: ${parts.join(', ')}${note}`;
    }
    case 'data-pass':
      return `pass ${p.iteration ?? '?'} over the data${rows}${note}`;
    case 'finalise':
      return `standard errors and results${note}`;
    default:
      return `working${note}`;
  }
}
