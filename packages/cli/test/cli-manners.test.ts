/** Styles, quiet runs and "did you mean" answers, with the real library. */
import { describe, expect, it } from 'vitest';
import { examples } from '@glmm/datasets';
import { EXIT_INPUT, EXIT_USAGE } from '../src/run.js';
import { expectOneLineError, run, tempFile, tempPath } from './helpers.js';

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
    expect(msg).toBe('unknown family "gausian" (did you mean "gaussian"?); loaded family plugins: binomial, gamma, gaussian, inverse_gaussian, negative_binomial, poisson');
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
    for (const command of ['fit', 'predict', 'simulate', 'anova', 'test', 'confint', 'compare', 'bootstrap']) expect(await run([command, '--version']), command).toEqual(top);
    expect(await run(['example', '-v'])).toEqual(top);
  });
});

describe('the commands on a saved model', () => {
  const model = tempPath('json');
  const newRows = tempFile('Subject,Days\n308,2.5\n309,\n');

  it('--quiet drops their notes on stderr too, and keeps the output', async () => {
    expect((await run([...sleep, '--save', model, '--quiet'])).stderr).toBe('');
    const predictions = tempPath('csv');
    const loud = await run(['predict', '--model', model, '--data', newRows, '--output', predictions]);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stderr).toMatch(/wrote 1 predictions .*\n.*1 of 2 rows have a missing or non-finite predictor/);
    expect(await run(['predict', '--model', model, '--data', newRows, '--output', predictions, '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const sim = await run(['simulate', '--model', model, '--nsim', '2', '-q']);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout.split('\n')[0]).toBe('row,sim_1,sim_2');
    expect(sim.stderr).toBe('');
    const boot = await run(['bootstrap', '--model', model, '--nsim', '10', '--seed', '1', '--quiet']);
    expect(boot.code, boot.stderr).toBe(0);
    expect(boot.stdout).toMatch(/^Parametric bootstrap: 10 replicates/);
    expect(boot.stderr).toBe('');
    expect((await run(['bootstrap', '--model', model, '--nsim', '10', '--seed', '1'])).stderr).toContain('glmm: bootstrap 10/10');
  });

  it('an unknown option names the nearest one', async () => {
    expect(expectOneLineError(await run(['predict', '--model', model, '--marginl']), EXIT_USAGE)).toMatch(/^unknown option --marginl for "glmm predict"; did you mean --marginal\? /);
    expect(expectOneLineError(await run(['anova', '--model', model, '--dff', 'z']), EXIT_USAGE)).toMatch(/^unknown option --dff for "glmm anova"; did you mean --ddf\? /);
  });
});
