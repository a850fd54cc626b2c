import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_USAGE } from '../src/run.js';
import { expectOneLineError, run, tempFile } from './helpers.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('help and version', () => {
  it('--help prints the commands and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('glmm fit --data FILE --formula');
    expect(r.stdout).toMatch(/^ {2}example /m);
  });

  it('-h, "help" and "help fit" work too', async () => {
    expect((await run(['-h'])).stdout).toBe((await run(['--help'])).stdout);
    expect((await run(['help', 'fit'])).stdout).toBe((await run(['fit', '--help'])).stdout);
  });

  it('fit --help lists every fit option, even with other options missing', async () => {
    const r = await run(['fit', '--help']);
    expect(r.code).toBe(0);
    for (const opt of [
      '--data', '--formula', '--family', '--link', '--method', '--nagq', '--categorical', '--weights',
      '--offset', '--no-intercept', '--max-iter', '--tol', '--format', '--output', '--diagnostics', '--covariance',
      '--delimiter', '--diagnostics-inline',
    ]) {
      expect(r.stdout).toContain(opt);
    }
  });

  it('example --help names the bundled examples', async () => {
    const r = await run(['example', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sleepstudy|cbpp');
  });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('usage errors exit 2 with one line', () => {
  const data = tempFile('y,x,g\n1,2,a\n');

  it('no command', async () => {
    expect(expectOneLineError(await run([]), EXIT_USAGE)).toMatch(/missing command/);
  });

  it('unknown command', async () => {
    expect(expectOneLineError(await run(['fitt']), EXIT_USAGE)).toBe(
      'unknown command "fitt" (did you mean "fit"?); commands: fit, predict, simulate, example, anova, test, confint, compare, bootstrap, help',
    );
  });

  it('unknown option lists the valid ones', async () => {
    const msg = expectOneLineError(await run(['fit', '--data', data, '--formula', 'y ~ x + (1|g)', '--familly', 'poisson']), EXIT_USAGE);
    expect(msg).toMatch(/^unknown option --familly for "glmm fit"; did you mean --family\? valid options: /);
    for (const opt of ['--data', '--formula', '--family', '--link', '--method', '--format', '--output', '--diagnostics']) {
      expect(msg).toContain(opt);
    }
    expect(msg).not.toContain('characters ...]');
  });

  it('a huge argument in a usage error is still cut', async () => {
    const msg = expectOneLineError(await run(['fit', 'x'.repeat(5000)]), EXIT_USAGE);
    expect(msg.length).toBeLessThanOrEqual(1000 + 40);
    expect(msg).toMatch(/^unexpected argument "xxx.*\[\.\.\. \d+ characters \.\.\.\]/);
  });

  it('unknown top-level option', async () => {
    expect(expectOneLineError(await run(['--verbose']), EXIT_USAGE)).toBe(
      'unknown option --verbose for "glmm"; valid options: --help, --version',
    );
  });

  it('missing --data', async () => {
    expect(expectOneLineError(await run(['fit', '--formula', 'y ~ x + (1|g)']), EXIT_USAGE)).toBe(
      'missing required option --data FILE (CSV, TSV, Parquet, Arrow, or - for standard input)',
    );
  });

  it('missing --formula', async () => {
    expect(expectOneLineError(await run(['fit', '--data', data]), EXIT_USAGE)).toBe(
      'missing required option --formula "y ~ x + (1 | g)"',
    );
  });

  it('missing both', async () => {
    expect(expectOneLineError(await run(['fit']), EXIT_USAGE)).toMatch(/--data and --formula/);
  });

  it('an option without its value', async () => {
    expect(expectOneLineError(await run(['fit', '--formula', 'y ~ x + (1|g)', '--data']), EXIT_USAGE)).toBe(
      'option --data needs a value (FILE)',
    );
  });

  it('a stray positional argument', async () => {
    expect(expectOneLineError(await run(['fit', data, '--formula', 'y ~ x + (1|g)']), EXIT_USAGE)).toMatch(
      /^unexpected argument ".*" for "glmm fit"/,
    );
  });

  it('bad numbers for --nagq, --max-iter, --tol', async () => {
    const base = ['fit', '--data', data, '--formula', 'y ~ x + (1|g)'];
    expect(expectOneLineError(await run([...base, '--nagq', 'many']), EXIT_USAGE)).toBe(
      'option --nagq must be an integer >= 1 (got "many")',
    );
    expect(expectOneLineError(await run([...base, '--max-iter', '0']), EXIT_USAGE)).toBe(
      'option --max-iter must be an integer >= 1 (got "0")',
    );
    expect(expectOneLineError(await run([...base, '--tol=-1e-6']), EXIT_USAGE)).toBe(
      'option --tol must be a positive number (got "-1e-6")',
    );
  });

  it('--nagq above 1 with a method other than agq', async () => {
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1|g)', '--method', 'laplace', '--nagq', '5']);
    expect(expectOneLineError(r, EXIT_USAGE)).toBe('--nagq 5 needs --method agq (got --method laplace)');
  });

  it('unknown example', async () => {
    expect(expectOneLineError(await run(['example', 'iris']), EXIT_USAGE)).toBe(
      'unknown example "iris"; available examples: sleepstudy, cbpp',
    );
  });
});

describe('--covariance', () => {
  it('needs GROUP=STRUCTURE pairs', async () => {
    const csv = tempFile('y,g\n1,a\n2,b\n3,a\n4,b\n');
    const r = await run(['fit', '--data', csv, '--formula', 'y ~ 1 + (1 | g)', '--covariance', 'g']);
    expect(expectOneLineError(r, EXIT_USAGE)).toContain('--covariance expects GROUP=STRUCTURE pairs such as Subject=diagonal, got "g"');
  });
});
