import { describe, expect, it } from 'vitest';
import { describe as describeProgress, ProgressLine, type ProgressTarget } from '../src/progress-line.js';

/** A fake terminal: records what is written, with a width and a TTY flag. */
function terminal(isTTY = true, columns = 80): ProgressTarget & { written: string[] } {
  const written: string[] = [];
  return { written, isTTY, columns, write: (s) => void written.push(s) };
}

/** A clock the test sets. */
function clock(): { now: () => number; set: (ms: number) => void } {
  let t = 0;
  return { now: () => t, set: (ms) => void (t = ms) };
}

describe('ProgressLine', () => {
  it('stays silent for the first second, then redraws at most every 100 ms', () => {
    const tty = terminal();
    const c = clock();
    const line = new ProgressLine(tty, { now: c.now });
    c.set(500);
    line.update({ stage: 'iteration', iteration: 1, deviance: 10 });
    expect(tty.written).toEqual([]);
    c.set(1000);
    line.update({ stage: 'iteration', iteration: 2, deviance: 9.5 });
    c.set(1050);
    line.update({ stage: 'iteration', iteration: 3, deviance: 9.25 });
    c.set(1150);
    line.update({ stage: 'iteration', iteration: 4, deviance: 9.125, evaluations: 40 });
    expect(tty.written).toEqual([
      '\rglmm [1.0 s] fitting: iteration 2, deviance 9.5\x1b[K',
      '\rglmm [1.1 s] fitting: iteration 4, deviance 9.125, 40 evaluations\x1b[K',
    ]);
    line.done();
    expect(tty.written.at(-1)).toBe('\r\x1b[K');
  });

  it('cuts the line to the terminal width', () => {
    const tty = terminal(true, 30);
    const c = clock();
    const line = new ProgressLine(tty, { now: c.now });
    c.set(2000);
    line.update({ stage: 'data-pass', iteration: 3, rowsScanned: 1_000_000 });
    expect(tty.written).toEqual(['\rglmm [2.0 s] pass 3 over the…\x1b[K']);
    expect(tty.written[0]!.length - '\r\x1b[K'.length).toBe(29);
  });

  it('draws nothing and clears nothing on a pipe or a file', () => {
    const pipe = terminal(false);
    const c = clock();
    const line = new ProgressLine(pipe, { now: c.now });
    c.set(5000);
    line.update({ stage: 'finalise' });
    line.done();
    expect(pipe.written).toEqual([]);
  });

  it('a fit that never drew leaves nothing to clear', () => {
    const tty = terminal();
    const line = new ProgressLine(tty, { now: () => 0 });
    line.update({ stage: 'start' });
    line.done();
    expect(tty.written).toEqual([]);
  });

  it('describes each stage and drops control characters from notes', () => {
    expect(describeProgress({ stage: 'model-frame', rowsScanned: 12345 })).toBe('building the model frame, 12,345 rows');
    expect(describeProgress({ stage: 'start', message: 'glm\x1b[2J' })).toBe('finding starting values [glm [2J]');
    expect(describeProgress({ stage: 'iteration', iteration: 7, deviance: 1.5e7 })).toBe('fitting: iteration 7, deviance 1.5000e+7');
    expect(describeProgress({ stage: 'finalise' })).toBe('standard errors and results');
  });
});
