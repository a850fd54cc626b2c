import { examples } from '@glmm/datasets';
import type { ParsedArgs } from './args.js';
import { executeFit, outputSpecFromArgs, type FitSpec } from './fit-command.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';

export type ExampleName = keyof typeof examples;

/**
 * Columns R holds as factors in each bundled CSV: their codes are numbers
 * ("308", period "1"), so the CLI must say they are categorical, as a user would.
 */
const CATEGORICAL: Record<ExampleName, readonly string[]> = {
  sleepstudy: ['Subject'],
  cbpp: ['herd', 'period'],
};

export function exampleNames(): ExampleName[] {
  return Object.keys(examples) as ExampleName[];
}

/** The fit spec of a bundled example: lme4's defaults (REML for Gaussian, Laplace otherwise). */
export function exampleSpec(name: ExampleName, args: ParsedArgs): FitSpec {
  const ex = examples[name];
  return {
    ...outputSpecFromArgs(args),
    dataPath: ex.csvPath,
    formula: ex.formula,
    family: ex.family,
    categorical: CATEGORICAL[name],
    intercept: true,
    options: {},
  };
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./,-]+$/.test(s) ? s : `"${s}"`;
}

export function runExample(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 1) {
    throw new UsageError(`"glmm example" takes one example name; got ${args.positionals.map((p) => `"${p}"`).join(' ')}`);
  }
  const names = exampleNames();
  const requested = args.positionals[0] ?? names[0];
  const name = names.find((n) => n === requested?.toLowerCase());
  if (name === undefined) {
    throw new UsageError(`unknown example "${requested}"; available examples: ${names.join(', ')}`);
  }
  const spec = exampleSpec(name, args);
  const preamble =
    `Example "${name}": ${examples[name].description}\n` +
    `Equivalent to: glmm fit --data ${quote(spec.dataPath)} --formula ${quote(spec.formula)}` +
    ` --family ${spec.family} --categorical ${(spec.categorical ?? []).join(',')}\n\n`;
  return executeFit(spec, io, preamble);
}
