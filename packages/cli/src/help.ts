import { listPlugins, resolvePlugin, type Container } from '@glmm/core';
import { formatOptions, type OptionSpec } from './args.js';
import {
  DELIMITER_OPTION as delimiter,
  HELP_OPTION as help,
  PLUGIN_OPTION as plugin,
  QUIET_OPTION as quiet,
  VERSION_OPTION as version,
} from './common-options.js';
import { INFERENCE_COMMANDS, INFERENCE_SUMMARIES } from './inference-help.js';

/** The plugins a container holds, by kind, for the help text (never a hard-coded list). */
export interface PluginListing {
  readonly families: readonly string[];
  readonly links: readonly string[];
  readonly methods: readonly string[];
  readonly covariances: readonly string[];
  readonly formats: readonly string[];
}

export function pluginListing(container: Container): PluginListing {
  return {
    families: listPlugins(container, 'family'),
    // A link indexed by a number (Link.withParameter) is asked for as name(p), e.g. power(0.5).
    links: listPlugins(container, 'link').map((name) => (resolvePlugin(container, 'link', name).withParameter ? `${name}(p)` : name)),
    methods: listPlugins(container, 'estimator'),
    covariances: listPlugins(container, 'covariance'),
    formats: listPlugins(container, 'reporter'),
  };
}

/** The "Plugins" section: what --family, --link, --method, --covariance and --format accept. */
function pluginSection(plugins: PluginListing | undefined): string {
  if (!plugins) return '';
  const rows: [string, readonly string[]][] = [
    ['families (--family)', plugins.families],
    ['links (--link)', plugins.links],
    ['methods (--method)', plugins.methods],
    ['covariance structures (--covariance)', plugins.covariances],
    ['formats (--format)', plugins.formats],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return `
Plugins loaded (add more with --plugin FILE.js or a package name):
${rows.map(([label, names]) => `  ${label.padEnd(width)}${names.join(', ')}`).join('\n')}
`;
}

const outputOptions: readonly OptionSpec[] = [
  { name: 'format', kind: 'value', valueName: 'NAME', description: 'output format: text (default), json or html' },
  { name: 'style', kind: 'value', valueName: 'NAME', description: "text layout: lme4 (default, summary()) or fitglme (MATLAB's display)" },
  { name: 'output', kind: 'value', valueName: 'FILE', description: 'write the output to FILE instead of stdout' },
  {
    name: 'diagnostics',
    kind: 'value',
    valueName: 'FILE',
    description:
      'write per-row output (row number, the model\'s data columns, fitted values, residuals, random effects) as CSV, or NDJSON for .ndjson/.jsonl',
  },
  {
    name: 'diagnostics-inline',
    kind: 'flag',
    description: 'put the per-row output into the JSON as well (--format json; left out by default, it grows with the rows)',
  },
];

export const FIT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'data',
    kind: 'value',
    valueName: 'FILE',
    description: 'data (required): CSV or other delimited text with a header row, Parquet, Arrow IPC, or - for standard input',
  },
  delimiter,
  {
    name: 'formula',
    kind: 'value',
    valueName: 'FORMULA',
    description: 'lme4 formula, e.g. "y ~ x + (1 | g)" (required)',
  },
  {
    name: 'family',
    kind: 'value',
    valueName: 'NAME',
    description: 'response family (default gaussian); the loaded ones are listed below',
  },
  { name: 'link', kind: 'value', valueName: 'NAME', description: "link function; default the family's canonical link" },
  {
    name: 'method',
    kind: 'value',
    valueName: 'NAME',
    description:
      'estimation method (the loaded ones are listed below, e.g. pseudo-likelihood pql, mpl, rempl); default the first of reml, laplace (agq with --nagq) that fits the family and link',
  },
  { name: 'nagq', kind: 'value', valueName: 'N', description: 'quadrature points for --method agq' },
  {
    name: 'categorical',
    kind: 'value',
    valueName: 'COL,COL',
    description: 'numeric columns to treat as categorical',
  },
  {
    name: 'covariance',
    kind: 'value',
    valueName: 'G=NAME,...',
    description: 'covariance structure per grouping factor; default unstructured',
  },
  {
    name: 'dispersion',
    kind: 'value',
    valueName: 'moment|ml',
    description: "how a family's dispersion is estimated: moment (default, as lme4) or ml (maximum likelihood, as glmmTMB)",
  },
  plugin,
  { name: 'weights', kind: 'value', valueName: 'COL', description: 'column of prior weights' },
  { name: 'offset', kind: 'value', valueName: 'COL', description: 'column added to the linear predictor' },
  { name: 'no-intercept', kind: 'flag', description: 'fit no fixed intercept' },
  {
    name: 'coding',
    kind: 'value',
    valueName: 'CODING|COL=CODING,...',
    description: 'categorical coding: reference (default), effects (sum to zero) or full; for all or per column',
  },
  { name: 'exclude', kind: 'value', valueName: 'ROWS', description: 'rows to leave out, 1-based, e.g. 3,7,10-12' },
  { name: 'save', kind: 'value', valueName: 'FILE.json', description: 'save the fitted model (for glmm predict, simulate, ...)' },
  { name: 'max-iter', kind: 'value', valueName: 'N', description: 'iteration cap of the optimiser (default 100)' },
  { name: 'tol', kind: 'value', valueName: 'X', description: 'relative convergence tolerance (default 1e-6)' },
  {
    name: 'ddf',
    kind: 'value',
    valueName: 'METHOD',
    description: 'degrees of freedom of the fixed effects: satterthwaite (default for gaussian), residual or z (default otherwise)',
  },
  { name: 'level', kind: 'value', valueName: 'X', description: "confidence level of the fixed effects' intervals (default 0.95)" },
  ...outputOptions,
  quiet,
  help,
  version,
];

export const EXAMPLE_OPTIONS: readonly OptionSpec[] = [...outputOptions, quiet, help, version];

export const TOP_OPTIONS: readonly OptionSpec[] = [help, version];

export function topHelp(plugins?: PluginListing): string {
  return `glmm - generalized linear mixed models with lme4's numbers

Usage:
  glmm fit --data FILE --formula "..." [--family NAME] [--save FILE.json] [options]
  glmm predict --model FILE.json --data FILE [--marginal] [--scale link|response] [--se] [--format csv|json]
  glmm simulate --model FILE.json --nsim N --seed S [--format csv|json]
  glmm example [sleepstudy|cbpp] [--format text|json|html]
  glmm anova|test|confint|compare|bootstrap --model model.json [options]
  glmm --help | glmm COMMAND --help | glmm --version

Commands:
  fit       fit a model to a data file (CSV, TSV, Parquet, Arrow) and print the summary
  predict   predict new rows from a saved model
  simulate  simulate responses from a saved model
  example   fit a bundled example data set and print the summary
${INFERENCE_COMMANDS.map((c) => `  ${c.padEnd(10)}${INFERENCE_SUMMARIES[c]}`).join('\n')}

Options:
${formatOptions(TOP_OPTIONS)}

Exit codes: 0 success, 1 bad data or model, 2 bad command line, 70 internal error.
Set GLMM_DEBUG=1 to print stack traces with errors.
${pluginSection(plugins)}`;
}

export function fitHelp(plugins?: PluginListing): string {
  return `Usage: glmm fit --data FILE --formula "..." [options]

Fits a (generalized) linear mixed model as lme4's lmer/glmer would.

Options:
${formatOptions(FIT_OPTIONS)}

Examples:
  glmm fit --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)"
  glmm fit --data cbpp.csv --formula "cbind(incidence, size - incidence) ~ period + (1 | herd)" \\
           --family binomial --categorical period,herd --format json --output cbpp.json
${pluginSection(plugins)}`;
}

export function exampleHelp(names: readonly string[]): string {
  return `Usage: glmm example [${names.join('|')}] [options]

Fits a bundled example data set (default ${names[0] ?? ''}) and prints the summary.

Options:
${formatOptions(EXAMPLE_OPTIONS)}
`;
}
