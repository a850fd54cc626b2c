import { formatOptions, type OptionSpec } from './args.js';
import { DELIMITER_OPTION, HELP_OPTION, PLUGIN_OPTION, QUIET_OPTION, VERSION_OPTION } from './common-options.js';

/** Option tables and help of the inference commands: anova, test, confint, compare, bootstrap. */

/** What every command takes: --plugin (the plugins a model was fitted with), --quiet, --help, --version. */
const common: readonly OptionSpec[] = [PLUGIN_OPTION, QUIET_OPTION, HELP_OPTION, VERSION_OPTION];
const model: OptionSpec = { name: 'model', kind: 'value', valueName: 'FILE.json', description: 'a model saved by "glmm fit --save" (required)' };
const data: OptionSpec = {
  name: 'data',
  kind: 'value',
  valueName: 'FILE',
  description: "the data the model was fitted to, read as glmm fit --data (needed for Satterthwaite's DF, profile intervals, ML refits, the bootstrap)",
};
const ddf: OptionSpec = {
  name: 'ddf',
  kind: 'value',
  valueName: 'METHOD',
  description: 'degrees of freedom: satterthwaite (default for linear mixed models), residual (n - p) or z (default for GLMMs)',
};
const format: OptionSpec = { name: 'format', kind: 'value', valueName: 'NAME', description: 'output format: text (default), json or csv' };
const level: OptionSpec = { name: 'level', kind: 'value', valueName: 'X', description: 'confidence level (default 0.95)' };

export const ANOVA_OPTIONS: readonly OptionSpec[] = [
  model,
  ddf,
  { name: 'type', kind: 'value', valueName: '3|marginal', description: "3 (default: Type III as lmerTest and SAS) or marginal (each term's own columns, fitglme)" },
  data,
  DELIMITER_OPTION,
  format,
  ...common,
];

export const TEST_OPTIONS: readonly OptionSpec[] = [
  model,
  {
    name: 'contrast',
    kind: 'value',
    valueName: '"A - B = 0"',
    repeatable: true,
    description: 'a linear hypothesis on the coefficients by name ("2*x1 + x2 = 3"); repeat for several rows (required)',
  },
  ddf,
  data,
  DELIMITER_OPTION,
  format,
  ...common,
];

export const CONFINT_OPTIONS: readonly OptionSpec[] = [
  model,
  { name: 'method', kind: 'value', valueName: 'NAME', description: 'profile (default for linear mixed models) or wald (default for GLMMs)' },
  level,
  data,
  DELIMITER_OPTION,
  format,
  ...common,
];

export const COMPARE_OPTIONS: readonly OptionSpec[] = [
  { name: 'model', kind: 'value', valueName: 'FILE.json', repeatable: true, description: 'a saved model; give exactly two, nested (required)' },
  { ...data, description: 'the data both models were fitted to (needed to refit REML fits by ML)' },
  DELIMITER_OPTION,
  format,
  ...common,
];

export const BOOTSTRAP_OPTIONS: readonly OptionSpec[] = [
  model,
  { ...data, description: 'the data the model was fitted to (required unless the model file holds its rows)' },
  DELIMITER_OPTION,
  { name: 'nsim', kind: 'value', valueName: 'N', description: 'number of bootstrap replicates (required)' },
  { name: 'seed', kind: 'value', valueName: 'S', description: 'seed of the simulations (required; the same seed gives the same result)' },
  level,
  format,
  ...common,
];

export const INFERENCE_COMMANDS = ['anova', 'test', 'confint', 'compare', 'bootstrap'] as const;
export type InferenceCommand = (typeof INFERENCE_COMMANDS)[number];

export const INFERENCE_OPTIONS: Readonly<Record<InferenceCommand, readonly OptionSpec[]>> = {
  anova: ANOVA_OPTIONS,
  test: TEST_OPTIONS,
  confint: CONFINT_OPTIONS,
  compare: COMPARE_OPTIONS,
  bootstrap: BOOTSTRAP_OPTIONS,
};

/** One line per command for the top-level help. */
export const INFERENCE_SUMMARIES: Readonly<Record<InferenceCommand, string>> = {
  anova: 'F test of each fixed-effects term (Type III) of a saved model',
  test: 'F and t tests of contrasts of the fixed effects ("A - B = 0")',
  confint: 'profile or Wald intervals of the covariance parameters and fixed effects',
  compare: 'likelihood-ratio test of two nested saved models, with AIC and BIC',
  bootstrap: 'parametric bootstrap intervals of the fixed effects and covariance parameters',
};

const USAGE: Readonly<Record<InferenceCommand, string>> = {
  anova: 'glmm anova --model model.json [--ddf satterthwaite|residual|z] [--type 3|marginal] [--data FILE]',
  test: 'glmm test --model model.json --contrast "recipeB - recipeC = 0" [--contrast ...] [--ddf NAME] [--data FILE]',
  confint: 'glmm confint --model model.json [--method profile|wald] [--level 0.9] --data FILE',
  compare: 'glmm compare --model m0.json --model m1.json [--data FILE]',
  bootstrap: 'glmm bootstrap --model model.json --data FILE --nsim N --seed S [--level 0.95]',
};

const DETAILS: Readonly<Record<InferenceCommand, string>> = {
  anova:
    "Tests each fixed-effects term with an F test (a categorical term's columns together). Type III hypotheses\ndo not depend on the coding (lmerTest's definition); --type marginal tests each term's own columns.",
  test: 'Tests the hypothesis given by the --contrast rows jointly (F) and row by row (t or z).\nCoefficient names are as in the fit\'s output, e.g. "(Intercept) + 5*Days = 300".',
  confint:
    "Profile intervals follow lme4's confint(method = \"profile\") (on the ML deviance); Wald intervals of the\ncovariance parameters are taken on the log-SD / atanh-correlation scale. Names as lme4's confint(oldNames = FALSE).",
  compare: "As lme4's anova(m0, m1): REML fits are refitted by ML first. Models of different data or not nested are refused.",
  bootstrap: "Simulates responses from the model, refits it to each (lme4's bootMer), and reports percentile intervals.",
};

export function inferenceHelp(command: InferenceCommand): string {
  return `Usage: ${USAGE[command]}

${DETAILS[command]}

Options:
${formatOptions(INFERENCE_OPTIONS[command])}
`;
}
