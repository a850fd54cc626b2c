import type { OptionSpec } from './args.js';

/** Options every command takes. */
export const HELP_OPTION: OptionSpec = { name: 'help', kind: 'flag', short: 'h', description: 'show this help' };
export const QUIET_OPTION: OptionSpec = { name: 'quiet', kind: 'flag', short: 'q', description: 'no progress line and no notes on stderr (errors still)' };
/** Options of every command that reads --data. */
export const DELIMITER_OPTION: OptionSpec = {
  name: 'delimiter',
  kind: 'value',
  valueName: 'CHAR',
  description: 'field delimiter of delimited text: a character, or tab, comma, semicolon, pipe (default: tab for .tsv, else guessed)',
};
export const VERSION_OPTION: OptionSpec = { name: 'version', kind: 'flag', short: 'v', description: 'print the version' };
/** Options of every command that resolves plugins: fit, and the commands that load a saved model. */
export const PLUGIN_OPTION: OptionSpec = {
  name: 'plugin',
  kind: 'value',
  valueName: 'FILE|PACKAGE',
  description: 'load a module exporting a plugin bundle (default export or "bundle"), e.g. the family a model was fitted with; may be repeated',
  repeatable: true,
};
