/** Styles, quiet runs and "did you mean" answers, with the real library. */
import { describe, expect, it } from 'vitest';
import { examples } from '@glmm/datasets';
import { EXIT_INPUT, EXIT_USAGE } from '../src/run.js';
import { expectOneLineError, run, tempPath } from './helpers.js';

const sleep = ['fit', '--data', examples.sleepstudy.csvPath, '--formula', examples.sleepstudy.formula, '--categorical', 'Subject'];

describe('--style', () => {
  it('fitglme prints the fit as MATLAB displays it', async () => {
    const r = await run([...sleep, '--style', 'fitglme']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Linear mixed-effects model fit by REML');
    expect(lines).toContain('Model information:');
    expect(lines.find((l) => l.includes('Number of observations'))).toMatch(/^ {4}Number of observations\s+180$/);
    expect(lines.find((l) => l.includes('Covariance parameters'))).toMatch(/\s4$/);
    expect(lines).toContain('Group: Subject (18 Levels)');
    expect(r.stdout).toMatch(/\n {4}'Days'\s+'\(Intercept\)'\s+'corr'\s+0\.0655/);
    expect(r.stdout).toMatch(/\nICC \(Subject\): 0\.483\d+, large group effect \(MIDAS band 0\.20-0\.50\); design effect 5\.34\d+\n/);
  });

  it('lme4 is the default layout', async () => {
    const timeless = (s: string): string => s.replace(/Fit time: .*\n/, '');
    const explicit = await run([...sleep, '--style', 'lme4']);
    expect(explicit.stdout).toMatch(/^Linear mixed model fit by REML\n/);
    expect(timeless(explicit.stdout)).toBe(timeless((await run(sleep)).stdout));
  });

  it('is checked against the styles the reporter offers', async () => {
    expect(expectOneLineError(await run([...sleep, '--style', 'fitglm']), EXIT_USAGE)).toBe(
      'unknown --style "fitglm" for --format text (did you mean fitglme?); styles: lme4, fitglme',
    );
    expect(expectOneLineError(await run([...sleep, '--format', 'json', '--style', 'fitglme']), EXIT_USAGE)).toBe('--style does not apply to --format json');
  });
});

describe('did you mean', () => {
  it('an unknown family names the nearest one', async () => {
    const msg = expectOneLineError(await run([...sleep, '--family', 'gausian']), EXIT_INPUT);
    expect(msg).toBe('unknown family "gausian" (did you mean "gaussian"?); loaded family plugins: binomial, gamma, gaussian, poisson');
  });

  it('an unknown method and format too', async () => {
    expect(expectOneLineError(await run([...sleep, '--method', 'rmel']), EXIT_INPUT)).toMatch(/^unknown estimator "rmel" \(did you mean "reml"\?\)/);
    expect(expectOneLineError(await run([...sleep, '--format', 'htlm']), EXIT_USAGE)).toBe(
      'unknown --format "htlm" (did you mean html?); available formats: html, json, text',
    );
  });

  it('an unknown option of glmm example', async () => {
    expect(expectOneLineError(await run(['example', '--fromat', 'json']), EXIT_USAGE)).toMatch(/^unknown option --fromat for "glmm example"; did you mean --format\? /);
  });
});

describe('--quiet and --version', () => {
  it('--quiet drops the notes on stderr, keeps the output', async () => {
    const out = tempPath('txt');
    const loud = await run([...sleep, '--output', out]);
    expect(loud.stderr).toBe(`glmm: wrote text output to ${out}\n`);
    const quiet = await run([...sleep, '--output', out, '--quiet']);
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--quiet does not silence errors', async () => {
    expect(expectOneLineError(await run([...sleep, '--quiet', '--family', 'poison']), EXIT_INPUT)).toMatch(/did you mean "poisson"/);
  });

  it('--version answers on every command', async () => {
    const top = await run(['--version']);
    expect(await run(['fit', '--version'])).toEqual(top);
    expect(await run(['example', '-v'])).toEqual(top);
  });
});
