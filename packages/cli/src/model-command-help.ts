import { formatOptions, type OptionSpec } from './args.js';
import { DELIMITER_OPTION, HELP_OPTION, PLUGIN_OPTION, QUIET_OPTION, VERSION_OPTION } from './common-options.js';

/** Option tables and help of the commands on a saved model: predict and simulate (no fitting machinery, so --help answers fast). */

export const PREDICT_OPTIONS: readonly OptionSpec[] = [
  { name: 'model', kind: 'value', valueName: 'FILE.json', description: 'model saved by glmm fit --save (required)' },
  {
    name: 'data',
    kind: 'value',
    valueName: 'FILE',
    description: 'rows to predict, with the predictors (required): CSV or other delimited text, Parquet, Arrow IPC, or - for standard input',
  },
  DELIMITER_OPTION,
  { name: 'marginal', kind: 'flag', description: 'population-level predictions: random effects at 0' },
  { name: 'scale', kind: 'value', valueName: 'NAME', description: 'response (default, the mean) or link (the linear predictor)' },
  { name: 'se', kind: 'flag', description: 'add the standard error of the fixed part (delta method on the response scale)' },
  {
    name: 'interval',
    kind: 'value',
    valueName: 'NAME',
    description: 'add lower and upper: confidence (fixed part) or prediction (linear mixed models)',
  },
  { name: 'level', kind: 'value', valueName: 'X', description: 'level of the interval (default 0.95)' },
  { name: 'format', kind: 'value', valueName: 'NAME', description: 'csv (default) or json' },
  { name: 'output', kind: 'value', valueName: 'FILE', description: 'write to FILE instead of stdout' },
  PLUGIN_OPTION,
  QUIET_OPTION,
  HELP_OPTION,
  VERSION_OPTION,
];

export function predictHelp(): string {
  return `Usage: glmm predict --model FILE.json --data FILE [--marginal] [--scale link|response] [--se] [--format csv|json]

Predicts new rows from a model saved by "glmm fit --save", as lme4's predict() with
allow.new.levels = TRUE: conditional on the fitted random effects (a grouping level the
fit did not see gets 0 and is flagged in new_level), or marginal with --marginal.
A level of a categorical predictor that the fit did not see is an error.

CSV output keeps the input columns and adds fit (and se, lower, upper when asked, and
new_level for conditional predictions); rows with a missing predictor get NA.

Options:
${formatOptions(PREDICT_OPTIONS)}

Example:
  glmm fit --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" --save sleep.json
  glmm predict --model sleep.json --data new.csv --se
`;
}

export const SIMULATE_OPTIONS: readonly OptionSpec[] = [
  { name: 'model', kind: 'value', valueName: 'FILE.json', description: 'model saved by glmm fit --save (required)' },
  { name: 'nsim', kind: 'value', valueName: 'N', description: 'number of simulated responses (default 1)' },
  { name: 'seed', kind: 'value', valueName: 'S', description: 'seed of the generator; without it one is drawn and printed' },
  { name: 'conditional', kind: 'flag', description: 'keep the fitted random effects (default: draw new ones, as lme4)' },
  { name: 'data', kind: 'value', valueName: 'FILE', description: 'the data of the fit, for a model saved without its design (as glmm fit --data)' },
  DELIMITER_OPTION,
  { name: 'format', kind: 'value', valueName: 'NAME', description: 'csv (default) or json' },
  { name: 'output', kind: 'value', valueName: 'FILE', description: 'write to FILE instead of stdout' },
  PLUGIN_OPTION,
  QUIET_OPTION,
  HELP_OPTION,
  VERSION_OPTION,
];

export function simulateHelp(): string {
  return `Usage: glmm simulate --model FILE.json --nsim N --seed S [--conditional] [--format csv|json]

Simulates new responses at the rows a saved model was fitted to, as lme4's simulate():
new random effects for every level (or, with --conditional, the fitted ones), then one
response per row from the family.  The generator is xoshiro128** seeded by SplitMix32,
so a seed gives the same responses on every machine.

CSV output: one line per row, "row" (the input row, 1-based) and sim_1 ... sim_N.
Responses read as the formula's left side: counts of successes for cbind(s, f).
JSON output: {seed, nsim, conditional, response, rows, trials?, simulations: [[...], ...]}.

Options:
${formatOptions(SIMULATE_OPTIONS)}
`;
}
