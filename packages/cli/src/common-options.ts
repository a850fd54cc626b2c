import type { OptionSpec } from './args.js';

/** Options every command takes. */
export const HELP_OPTION: OptionSpec = { name: 'help', kind: 'flag', short: 'h', description: 'show this help' };
export const QUIET_OPTION: OptionSpec = { name: 'quiet', kind: 'flag', short: 'q', description: 'no progress line and no notes on stderr (errors still)' };
export const VERSION_OPTION: OptionSpec = { name: 'version', kind: 'flag', short: 'v', description: 'print the version' };
