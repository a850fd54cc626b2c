import { describe, expect, it } from 'vitest';
import { formatSeconds, formatSmall, formatTable, type TableRow } from '../src/table.js';
import { compareFits } from '../src/compare.js';
import { parseBenchArgs } from '../src/args.js';
import { extractResult, median, RESULT_MARKER, type FitSummary } from '../src/fit-summary.js';
import { parseGnuTimeMaxRssMB } from '../src/run-sides.js';

const empty: TableRow = {
  name: 'coldstart',
  n: 180,
  oursLoad: null,
  oursFit: null,
  oursTotal: 0.4349,
  oursRssMB: null,
  lme4Load: null,
  lme4Fit: 1.9,
  lme4RssMB: null,
  ratio: 1.9 / 0.4349,
  absLogLikDiff: null,
  maxBetaDiffOverSE: null,
  flag: '',
};

describe('formatTable', () => {
  it('aligns names left, numbers right, with a rule under the header', () => {
    const row: TableRow = {
      name: 'lmm-1e5',
      n: 100000,
      oursLoad: 0.25,
      oursFit: 1.234,
      oursTotal: 1.5,
      oursRssMB: 250.4,
      lme4Load: 0.5,
      lme4Fit: 150.25,
      lme4RssMB: 700.6,
      ratio: 100.1666,
      absLogLikDiff: 3.2e-7,
      maxBetaDiffOverSE: 0,
      flag: 'ours worse',
    };
    expect(formatTable([row, empty]).split('\n')).toEqual([
      'case            n  load s  fit s  total s  RSS MB  R load s  R fit s  R RSS MB  R/ours  |dlogLik|  max|db|/SE  flag',
      '---------  ------  ------  -----  -------  ------  --------  -------  --------  ------  ---------  ----------  ----------',
      'lmm-1e5    100000   0.250   1.23     1.50     250     0.500    150.3       701  100.17     3.2e-7           0  ours worse',
      'coldstart     180       -      -    0.435       -         -     1.90         -    4.37          -           -',
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
  it('computes the speed ratio from median wall times and matches coefficients by name', () => {
    const ours = summary({
      wallSeconds: [0.5, 0.4, 9],
      fixef: [
        { name: 'x', estimate: 2.1, stdError: 0.5 },
        { name: '(Intercept)', estimate: 1.01, stdError: 0.1 },
      ],
      theta: [1.002, 0.5],
      logLik: -100.0004,
    });
    const c = compareFits(ours, summary({}));
    expect(c.speedRatio).toBeCloseTo(2 / 0.5, 12);
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
