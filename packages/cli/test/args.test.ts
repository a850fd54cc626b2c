import { describe, expect, it } from 'vitest';
import {
  integerOption,
  listOption,
  parseArgs,
  positiveNumberOption,
  type OptionSpec,
} from '../src/args.js';
import { UsageError } from '../src/usage-error.js';

const specs: OptionSpec[] = [
  { name: 'data', kind: 'value', valueName: 'FILE', description: 'd' },
  { name: 'formula', kind: 'value', description: 'f' },
  { name: 'no-intercept', kind: 'flag', description: 'n' },
  { name: 'help', kind: 'flag', short: 'h', description: 'h' },
];

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('reads "--key value", "--key=value", flags, short flags and positionals', () => {
    const a = parseArgs(['--data', 'x.csv', '--formula=y ~ x + (1 | g)', '--no-intercept', '-h', 'extra'], specs, 'glmm fit');
    expect(a.options.get('data')).toBe('x.csv');
    expect(a.options.get('formula')).toBe('y ~ x + (1 | g)');
    expect(a.options.get('no-intercept')).toBe('true');
    expect(a.options.get('help')).toBe('true');
    expect(a.positionals).toEqual(['extra']);
  });

  it('keeps "=" inside a value and values that start with a single dash', () => {
    const a = parseArgs(['--formula=y ~ a==b', '--data', '-1'], specs, 'c');
    expect(a.options.get('formula')).toBe('y ~ a==b');
    expect(a.options.get('data')).toBe('-1');
  });

  it('rejects an unknown option and lists the valid ones', () => {
    const msg = usageMessage(() => parseArgs(['--dta', 'x.csv'], specs, 'glmm fit'));
    expect(msg).toBe('unknown option --dta for "glmm fit"; did you mean --data? valid options: --data, --formula, --no-intercept, --help');
  });

  it('rejects an unknown short option', () => {
    expect(usageMessage(() => parseArgs(['-x'], specs, 'glmm'))).toMatch(/^unknown option -x for "glmm"; valid options: --data/);
  });

  it('rejects a value option without a value, at the end or before another option', () => {
    expect(usageMessage(() => parseArgs(['--data'], specs, 'c'))).toBe('option --data needs a value (FILE)');
    expect(usageMessage(() => parseArgs(['--data', '--formula', 'y~x'], specs, 'c'))).toBe('option --data needs a value (FILE)');
    expect(usageMessage(() => parseArgs(['--data='], specs, 'c'))).toBe('option --data needs a non-empty value');
  });

  it('rejects a value given to a flag and an option given twice', () => {
    expect(usageMessage(() => parseArgs(['--no-intercept=yes'], specs, 'c'))).toBe('option --no-intercept takes no value (got "yes")');
    expect(usageMessage(() => parseArgs(['--data', 'a', '--data=b'], specs, 'c'))).toBe('option --data is given more than once');
  });

  it('treats everything after "--" as positional', () => {
    expect(parseArgs(['--', '--data'], specs, 'c').positionals).toEqual(['--data']);
  });
});

describe('typed option values', () => {
  const numeric: OptionSpec[] = [
    { name: 'n', kind: 'value', description: '' },
    { name: 'x', kind: 'value', description: '' },
    { name: 'cols', kind: 'value', description: '' },
  ];
  const parse = (argv: string[]) => parseArgs(argv, numeric, 'c');

  it('parses integers and rejects fractions, words and values below the minimum', () => {
    expect(integerOption(parse(['--n', '25']), 'n', 1)).toBe(25);
    expect(integerOption(parse([]), 'n', 1)).toBeUndefined();
    expect(usageMessage(() => integerOption(parse(['--n', '2.5']), 'n', 1))).toBe('option --n must be an integer >= 1 (got "2.5")');
    expect(usageMessage(() => integerOption(parse(['--n', 'ten']), 'n', 1))).toBe('option --n must be an integer >= 1 (got "ten")');
    expect(usageMessage(() => integerOption(parse(['--n', '0']), 'n', 1))).toBe('option --n must be an integer >= 1 (got "0")');
  });

  it('parses positive numbers in any JS notation and rejects zero, negatives and words', () => {
    expect(positiveNumberOption(parse(['--x', '1e-8']), 'x')).toBe(1e-8);
    expect(usageMessage(() => positiveNumberOption(parse(['--x', '0']), 'x'))).toBe('option --x must be a positive number (got "0")');
    expect(usageMessage(() => positiveNumberOption(parse(['--x', '-1']), 'x'))).toBe('option --x must be a positive number (got "-1")');
    expect(usageMessage(() => positiveNumberOption(parse(['--x', 'small']), 'x'))).toBe('option --x must be a positive number (got "small")');
  });

  it('splits comma lists, trimming blanks, and rejects empty items', () => {
    expect(listOption(parse(['--cols', 'herd, period']), 'cols')).toEqual(['herd', 'period']);
    expect(usageMessage(() => listOption(parse(['--cols', 'a,,b']), 'cols'))).toMatch(/comma-separated/);
  });
});
