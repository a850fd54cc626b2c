/**
 * The CLI's own plumbing with the library replaced by a stand-in: which
 * request each flag produces, where output goes, the timing it adds, and how
 * each kind of failure is reported.  The real library is exercised in cli-fit.test.ts.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createContainer, defineBundle, definePlugin, GlmmInputError, type FitProgress, type GlmmResults } from '@glmm/core';
import { EXIT_INPUT, EXIT_INTERNAL, EXIT_USAGE } from '../src/run.js';
import { expectOneLineError, run, tempFile, tempPath } from './helpers.js';

const state = vi.hoisted(() => ({
  requests: [] as unknown[],
  csvPaths: [] as string[],
  readOptions: [] as unknown[],
  fitError: null as Error | null,
  /** Synthetic progress events the stand-in fit reports. */
  progress: [] as FitProgress[],
}));

function fakeResults(): GlmmResults {
  const n = 3;
  return {
    schemaVersion: 2,
    formula: 'y ~ x + (1 | g)',
    family: 'gaussian',
    link: 'identity',
    method: 'REML',
    nAGQ: 1,
    nobs: n,
    ngroups: { g: 2 },
    excluded: { count: 0, byReason: {}, rows: [] },
    fixedEffects: [
      { name: '(Intercept)', estimate: 1, stdError: 0.5, statistic: 2, pValue: 0.0455, ciLower: 0.02, ciUpper: 1.98 },
    ],
    vcovFixed: [[0.25]],
    varianceComponents: [],
    theta: [1],
    sigma: 1,
    dispersion: 1,
    icc: [],
    fit: { logLik: -5, df: 3, aic: 16, bic: 13.3, deviance: 10, conditionalDeviance: 2, remlCriterion: 10 },
    randomEffects: [],
    diagnostics: {
      row: [1, 2, 4],
      fitted: [1, 2, 3],
      linearPredictor: [1, 2, 3],
      responseResiduals: [0.5, -0.5, 0],
      devianceResiduals: [0.5, -0.5, 0],
      pearsonResiduals: [0.5, -0.5, 0],
      randomEffects: { 'g|(Intercept)': [0.1, 0.1, -0.1] },
    },
    diagnosticsOutput: { rows: n, inline: false, file: null, format: null },
    singular: false,
    convergence: { converged: true, iterations: 3, evaluations: 10, optimizer: 'fake', message: 'ok' },
    warnings: [],
    timing: { fitSeconds: 0.25 },
  };
}

vi.mock('@glmm/node-io', async (importOriginal) => {
  const real = await importOriginal<typeof import('@glmm/node-io')>();
  return {
    ...real,
    readDataFile: async (path: string, options: unknown) => {
      state.csvPaths.push(path);
      state.readOptions.push(options);
      return real.readDataFile(path, options as never);
    },
  };
});

vi.mock('@glmm/glmm', () => ({
  createDefaultContainer: () =>
    createContainer(
      defineBundle('fake-reporters', [
        definePlugin('reporter', 'json', { name: 'json', render: (r: GlmmResults) => JSON.stringify(r) }),
        definePlugin('reporter', 'text', { name: 'text', render: (r: GlmmResults) => `nobs ${r.nobs}` }),
      ]),
    ),
  fitModel: (request: { onProgress?: (p: FitProgress) => void }) => {
    state.requests.push(request);
    for (const p of state.progress) request.onProgress?.(p);
    if (state.fitError) throw state.fitError;
    return { results: fakeResults() };
  },
}));

// The fixed-effects table's degrees of freedom are the inference package's (tested there): pass the results through.
vi.mock('@glmm/inference', () => ({
  DF_METHODS: ['satterthwaite', 'residual', 'z'],
  fixedEffectsTable: () => ({ dfMethod: 'z', level: 0.95, rows: [] }),
  withDegreesOfFreedom: (results: GlmmResults) => results,
}));

beforeEach(() => {
  state.progress.length = 0;
  state.requests.length = 0;
  state.csvPaths.length = 0;
  state.readOptions.length = 0;
  state.fitError = null;
});

const data = tempFile('y,x,g\n1,1,a\n2,2,b\n3,NA,a\n4,4,"b,c"\n');

describe('flags become the fit request', () => {
  it('passes every model option through, lower-casing plugin names', async () => {
    const r = await run([
      'fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--family=Binomial', '--link', 'probit',
      '--method', 'AGQ', '--nagq', '25', '--categorical', 'g, x', '--weights', 'w', '--offset', 'off',
      '--no-intercept', '--max-iter', '200', '--tol', '1e-9',
    ]);
    expect(r.code).toBe(0);
    expect(state.csvPaths).toEqual([data]);
    const { container, onProgress, ...request } = state.requests[0] as Record<string, unknown>;
    expect(container).toBeDefined();
    expect(typeof onProgress).toBe('function');
    expect(request).toEqual({
      formula: 'y ~ x + (1 | g)',
      data: expect.objectContaining({ names: ['y', 'x', 'g'], nrows: 4 }),
      family: 'binomial',
      link: 'probit',
      method: 'agq',
      categorical: ['g', 'x'],
      intercept: false,
      weights: 'w',
      offset: 'off',
      options: { nAGQ: 25, maxIterations: 200, tolerance: 1e-9 },
    });
  });

  it('leaves unstated options to the library defaults', async () => {
    await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)']);
    const request = state.requests[0] as Record<string, unknown>;
    expect(request['family']).toBeUndefined();
    expect(request['link']).toBeUndefined();
    expect(request['method']).toBeUndefined();
    expect(request['intercept']).toBe(true);
    expect(request['options']).toEqual({});
  });

  it('--nagq above 1 alone selects adaptive quadrature, as glmer(nAGQ = n) does', async () => {
    await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--family', 'binomial', '--nagq', '9']);
    expect((state.requests[0] as Record<string, unknown>)['method']).toBe('agq');
  });
});

describe('output', () => {
  it('prints the rendered results with the CSV load time added', async () => {
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    const json = JSON.parse(r.stdout) as GlmmResults;
    expect(json.nobs).toBe(3);
    expect(json.timing.fitSeconds).toBe(0.25);
    expect(json.timing.loadSeconds).toBeGreaterThanOrEqual(0);
    expect(json.timing.loadSeconds).toBeLessThan(60);
  });

  it('--output writes the file, prints nothing on stdout and confirms on stderr', async () => {
    const out = tempPath('json');
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--format', 'json', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`glmm: wrote json output to ${out}\n`);
    expect((JSON.parse(readFileSync(out, 'utf8')) as GlmmResults).nobs).toBe(3);
  });

  it('--diagnostics writes one CSV line per used row', async () => {
    const diag = tempPath('csv');
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--diagnostics', diag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('nobs 3\n');
    expect(r.stderr).toBe(`glmm: wrote diagnostics for 3 rows to ${diag}\n`);
    // The input row to join on, then the model's columns (as broom.mixed's augment() keeps them), then the diagnostics.
    expect(readFileSync(diag, 'utf8')).toBe(
      'row,y,x,g,fitted,linear_predictor,response_residual,deviance_residual,pearson_residual,re_g_Intercept,group_random_effect\n' +
        '1,1,1,a,1,1,0.5,0.5,0.5,0.1,0.1\n2,2,2,b,2,2,-0.5,-0.5,-0.5,0.1,0.1\n4,4,4,"b,c",3,3,0,0,0,-0.1,-0.1\n',
    );
  });

  it('--diagnostics FILE.ndjson writes one JSON object per row, and the JSON says where they went', async () => {
    const diag = tempPath('ndjson');
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--diagnostics', diag, '--format', 'json']);
    expect(r.code).toBe(0);
    const lines = readFileSync(diag, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({
      row: 4, y: 4, x: 4, g: 'b,c', fitted: 3, linear_predictor: 3, response_residual: 0, deviance_residual: 0,
      pearson_residual: 0, re_g_Intercept: -0.1, group_random_effect: -0.1,
    });
    expect((JSON.parse(r.stdout) as GlmmResults).diagnosticsOutput).toEqual({ rows: 3, inline: false, file: diag, format: 'ndjson' });
  });

  it('--diagnostics-inline sets the JSON to carry them, and asks for --format json', async () => {
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--format', 'json', '--diagnostics-inline']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as GlmmResults).diagnosticsOutput.inline).toBe(true);
    const text = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--diagnostics-inline']);
    expect(expectOneLineError(text, EXIT_USAGE)).toMatch(/^--diagnostics-inline puts the per-row output into the JSON, so it needs --format json/);
  });

  it('--delimiter reaches the reader, by name or as a character, and a bad one is a usage error', async () => {
    await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--delimiter', 'comma']);
    expect(state.readOptions).toEqual([{ delimiter: ',' }]);
    const bad = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--delimiter', '::']);
    expect(expectOneLineError(bad, EXIT_USAGE)).toMatch(/^--delimiter must be one ASCII character/);
  });

  it('the example prints its equivalent command before a text summary, and only JSON with --format json', async () => {
    const text = await run(['example']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Example "sleepstudy": .*\nEquivalent to: glmm fit --data \S*sleepstudy\.csv --formula "Reaction ~ Days \+ \(Days \| Subject\)" --family gaussian --categorical Subject\n\nnobs 3\n$/);
    const json = await run(['example', 'cbpp', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveProperty('nobs', 3);
    expect(state.requests[1]).toMatchObject({
      formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
      family: 'binomial',
      categorical: ['herd', 'period'],
    });
  });
});

describe('failures', () => {
  it('an unknown --format is a usage error listing the formats, before any data is read', async () => {
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--format', 'pdf']);
    expect(expectOneLineError(r, EXIT_USAGE)).toBe('unknown --format "pdf"; available formats: json, text');
    expect(state.csvPaths).toEqual([]);
  });

  it('a GlmmInputError from the library is one line, exit 1, newlines folded', async () => {
    state.fitError = new GlmmInputError('column "y": 2 of 3 rows are negative\n(poisson needs counts)');
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)']);
    expect(expectOneLineError(r, EXIT_INPUT)).toBe('column "y": 2 of 3 rows are negative (poisson needs counts)');
  });

  it('an error named FormulaSyntaxError counts as the user\'s, even if it is not a GlmmInputError', async () => {
    const err = new Error('unexpected ")" at position 7');
    err.name = 'FormulaSyntaxError';
    state.fitError = err;
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x)']);
    expect(expectOneLineError(r, EXIT_INPUT)).toBe('unexpected ")" at position 7');
  });

  it('any other error is an internal error, exit 70, one line without a stack', async () => {
    state.fitError = new TypeError('Cannot read properties of undefined (reading \'length\')');
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)']);
    expect(r.code).toBe(EXIT_INTERNAL);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("glmm: internal error: Cannot read properties of undefined (reading 'length')\n");
  });

  it('GLMM_DEBUG=1 adds the stack trace', async () => {
    state.fitError = new RangeError('boom');
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)'], { GLMM_DEBUG: '1' });
    expect(r.code).toBe(EXIT_INTERNAL);
    expect(r.stderr).toMatch(/^glmm: internal error: boom\nRangeError: boom\n\s+at /);
  });

  it('an unwritable --output path is the user\'s error, exit 1', async () => {
    const out = `${tempPath('d')}/missing-dir/out.json`;
    const r = await run(['fit', '--data', data, '--formula', 'y ~ x + (1 | g)', '--output', out]);
    expect(expectOneLineError(r, EXIT_INPUT)).toBe(`cannot write text output to "${out}": no such file or directory`);
  });
});

describe('progress line', () => {
  const fit = ['fit', '--data', data, '--formula', 'y ~ x + (1 | g)'];
  /** A clock that moves 400 ms each time it is read: the fit below "takes" a few seconds. */
  const slowClock = (): (() => number) => {
    let t = 0;
    return () => (t += 400);
  };
  const events: FitProgress[] = [
    { stage: 'start' },
    { stage: 'iteration', iteration: 1, deviance: 1800.25, evaluations: 4 },
    { stage: 'iteration', iteration: 2, deviance: 1751.5, evaluations: 9 },
    { stage: 'iteration', iteration: 3, deviance: 1743.628, evaluations: 15 },
    { stage: 'finalise' },
  ];

  it('is drawn on a terminal for a long fit, then cleared before the summary', async () => {
    state.progress.push(...events);
    const r = await run(fit, {}, { stderrIsTTY: true, stderrColumns: 100, now: slowClock() });
    expect(r.code).toBe(0);
    // Started at 400 ms; the fourth reading (1.6 s, 1.2 s in) is the first past the one-second delay.
    const draws = r.stderr.split('\r').filter((s) => s !== '');
    expect(draws[0]).toBe('glmm [1.2 s] fitting: iteration 2, deviance 1751.5, 9 evaluations\x1b[K');
    expect(draws.slice(1)).toEqual([
      'glmm [1.6 s] fitting: iteration 3, deviance 1743.628, 15 evaluations\x1b[K',
      'glmm [2.0 s] standard errors and results\x1b[K',
      '\x1b[K',
    ]);
    expect(r.stdout).toBe('nobs 3\n');
  });

  it('is never drawn when stderr is not a terminal', async () => {
    state.progress.push(...events);
    const r = await run(fit, {}, { stderrIsTTY: false, now: slowClock() });
    expect(r.stderr).toBe('');
  });

  it('is never drawn with --quiet, which also drops the notes on stderr', async () => {
    state.progress.push(...events);
    const out = tempPath('txt');
    const r = await run([...fit, '--quiet', '--output', out], {}, { stderrIsTTY: true, now: slowClock() });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe('nobs 3\n');
  });

  it('is cleared when the fit fails, so the error starts its own line', async () => {
    state.progress.push(...events);
    state.fitError = new GlmmInputError('bad data');
    const r = await run(fit, {}, { stderrIsTTY: true, now: slowClock() });
    expect(r.code).toBe(EXIT_INPUT);
    expect(r.stderr.endsWith('\r\x1b[Kglmm: error: bad data\n')).toBe(true);
  });
});
