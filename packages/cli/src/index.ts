export { runCli, cliVersion, EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL } from './run.js';
export type { CliIo } from './io.js';
export { parseArgs, integerOption, positiveNumberOption, listOption, formatOptions } from './args.js';
export type { OptionSpec, ParsedArgs } from './args.js';
export { UsageError } from './usage-error.js';
export { diagnosticsCsv, randomEffectColumnName } from './diagnostics-csv.js';
export { exampleNames, exampleSpec } from './example.js';
export type { ExampleName } from './example.js';
export type { FitSpec, OutputSpec } from './fit-command.js';
