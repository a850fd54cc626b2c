import { describe, expect, it } from 'vitest';
import { formatCommandTable, formatFitTable, formatSeconds, formatSmall, type CommandRow, type FitRow } from '../src/table.js';
import { compareFits } from '../src/compare.js';
import { parseBenchArgs } from '../src/args.js';
import { extractResult, median, RESULT_MARKER, type FitSummary } from '../src/fit-summary.js';
import { parseGnuTimeMaxRssMB } from '../src/run-command.js';

describe('the tables', () => {
  it('align names left, numbers right, with a rule under the header', () => {
    const fit: FitRow = {
      name: 'lmm-1e5',
      n: 100000,
      oursLoad: 0.25,
      oursCold: 0.1234,
      oursWarm: 0.05,
      lme4Load: 0.5,
      lme4Cold: 15.25,
      lme4Warm: null,
      ratioCold: 15.25 / 0.1234,
      ratioWarm: 15.25 / 0.05,
      absLogLikDiff: 3.2e-7,
      maxBetaDiffOverSE: 0,
      flag: 'ours worse',
    };
    expect(formatFitTable([fit]).split('\n')).toEqual([
      'case          n  load s  cold s  warm s  R load s  R cold s  R warm s  R/ours cold  R/ours warm  |dlogLik|  max|db|/SE  flag',
      '-------  ------  ------  ------  ------  --------  --------  --------  -----------  -----------  ---------  ----------  ----------',
      'lmm-1e5  100000   0.250   0.123   0.050     0.500     15.25         -          124          305     3.2e-7           0  ours worse',
    ]);
    const cmd: CommandRow = {
      name: 'coldstart',
      n: 180,
      text: 0.4349,
      textRssMB: 61.4,
      json: null,
      jsonRssMB: null,
      lme4: 1.9,
      lme4RssMB: 250.6,
      ratioText: 1.9 / 0.4349,
      ratioJson: null,
      flag: '',
    };
    expect(formatCommandTable([cmd]).split('\n')).toEqual([
      'case         n  text s  text MB  json s  json MB   R s  R MB  R/ours text  R/ours json  flag',
      '---------  ---  ------  -------  ------  -------  ----  ----  -----------  -----------  ----',
      'coldstart  180   0.435       61       -        -  1.90   251          4.4            -',
    ]);
  });

  it('formats seconds and discrepancies', () => {
    expect([formatSeconds(0.01234), formatSeconds(12.345), formatSeconds(1234.56), formatSeconds(null)]).toEqual(['0.012', '12.35', '1234.6', '-']);
    expect([formatSmall(0), formatSmall(0.000123), formatSmall(Number.NaN), formatSmall(null)]).toEqual(['0', '1.2e-4', '-', '-']);
  });
});

function summary(over: Partial<FitSummary>): FitSummary {
  return {
    loadSeconds: 0.1,
    fitSeconds: [1, 2, 3],
    wallSeconds: [1, 2, 3],
    nobs: 100,
    logLik: -100,
    fixef: [
      { name: '(Intercept)', estimate: 1, stdError: 0.1 },
      { name: 'x', estimate: 2, stdError: 0.5 },
    ],
    theta: [0.5, 1],
    converged: true,
    optimizer: 'bobyqa',
    messages: [],
    maxRssMB: 100,
    ...over,
  };
}

describe('compareFits', () => {
  it('computes the cold ratio from the first fits, the warm one from the medians after them, and matches coefficients by name', () => {
    const ours = summary({
      wallSeconds: [0.5, 0.4, 9, 0.3],
      fixef: [
        { name: 'x', estimate: 2.1, stdError: 0.5 },
        { name: '(Intercept)', estimate: 1.01, stdError: 0.1 },
      ],
      theta: [1.002, 0.5],
      logLik: -100.0004,
    });
    const c = compareFits(ours, summary({}));
    // lme4: cold 1, warm median(2, 3) = 2.5; ours: cold 0.5, warm median(0.4, 9, 0.3) = 0.4.
    expect(c.speedRatioCold).toBeCloseTo(1 / 0.5, 12);
    expect(c.speedRatioWarm).toBeCloseTo(2.5 / 0.4, 12);
    // lme4 fitted once: its one fit is set against both of ours.
    const once = compareFits(ours, summary({ wallSeconds: [4] }));
    expect([once.speedRatioCold, once.speedRatioWarm]).toEqual([8, 10]);
    // |2.1 - 2| / 0.5 = 0.2 beats |1.01 - 1| / 0.1 = 0.1
    expect(c.maxBetaDiffOverSE).toBeCloseTo(0.2, 12);
    expect(c.maxThetaDiff).toBeCloseTo(0.002, 12);
    expect(c.logLikDiff).toBeCloseTo(-0.0004, 12);
    expect(c.flag).toBe('');
    expect(c.notes).toEqual([]);
  });

  it('flags whichever side sits at the lower optimum', () => {
    expect(compareFits(summary({ logLik: -99.9 }), summary({})).flag).toBe('lme4 worse');
    const worse = compareFits(summary({ logLik: -100.5 }), summary({}));
    expect(worse.flag).toBe('ours worse');
    expect(worse.notes[0]).toMatch(/lower than lme4's by 5\.00e-1/);
  });
});

describe('helpers', () => {
  it('parses arguments', () => {
    const a = parseBenchArgs(['--cases', 'lmm-1e5,verbagg', '--runs=5', '--no-r']);
    expect(a.cases).toEqual(['lmm-1e5', 'verbagg']);
    expect(a.runs).toBe(5);
    expect(a.withR).toBe(false);
    expect(parseBenchArgs([]).runs).toBeNull();
    expect(parseBenchArgs([]).commandRuns).toBe(3);
    expect(parseBenchArgs(['--no-commands']).commandRuns).toBe(0);
    expect(parseBenchArgs(['--command-runs', '2']).commandRuns).toBe(2);
    expect(parseBenchArgs(['--skip', 'lmm-1e7,poisson-1e7']).cases).not.toContain('lmm-1e7');
    expect(parseBenchArgs(['--cases', 'lmm-1e5,lmm-1e7', '--skip', 'lmm-1e7']).cases).toEqual(['lmm-1e5']);
    expect(() => parseBenchArgs(['--cases', 'lmm-1e7', '--skip', 'lmm-1e7'])).toThrow(/no case left/);
    expect(() => parseBenchArgs(['--cases', 'nope'])).toThrow(/unknown case/);
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow(/positive integer/);
  });

  it('reads child results and GNU time reports', () => {
    expect(extractResult(`chatter\n${RESULT_MARKER}{"a":1}\n`)).toEqual({ a: 1 });
    expect(extractResult('nothing')).toBeNull();
    expect(parseGnuTimeMaxRssMB('\tMaximum resident set size (kbytes): 204800\n')).toBe(200);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
