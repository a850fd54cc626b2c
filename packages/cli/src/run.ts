import { readFileSync } from 'node:fs';
import { GlmmInputError, nearestName } from '@glmm/core';
import { parseArgs } from './args.js';
import { EXAMPLE_OPTIONS, FIT_OPTIONS, TOP_OPTIONS, exampleHelp, fitHelp, topHelp } from './help.js';
import { INFERENCE_COMMANDS, INFERENCE_OPTIONS, inferenceHelp, type InferenceCommand } from './inference-help.js';
import { PREDICT_OPTIONS, SIMULATE_OPTIONS, predictHelp, simulateHelp } from './model-command-help.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;
/** BSD sysexits EX_SOFTWARE: a bug of ours, not the user's. */
export const EXIT_INTERNAL = 70;

const COMMANDS = ['fit', 'predict', 'simulate', 'example', ...INFERENCE_COMMANDS, 'help'] as const;

const isInferenceCommand = (c: string | undefined): c is InferenceCommand => (INFERENCE_COMMANDS as readonly (string | undefined)[]).includes(c);

/** The inference commands' modules, loaded on demand like fit's. */
async function runInference(command: InferenceCommand, args: ReturnType<typeof parseArgs>, io: CliIo): Promise<number> {
  switch (command) {
    case 'anova':
      return (await import('./anova-command.js')).runAnova(args, io);
    case 'test':
      return (await import('./test-command.js')).runTest(args, io);
    case 'confint':
      return (await import('./confint-command.js')).runConfint(args, io);
    case 'compare':
      return (await import('./compare-command.js')).runCompare(args, io);
    case 'bootstrap':
      return (await import('./bootstrap-command.js')).runBootstrap(args, io);
  }
}

/** The package version; package.json sits one level above both src/ and dist/. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Errors the user can fix by changing their data, formula or options. */
function isInputError(err: unknown): err is Error {
  if (err instanceof GlmmInputError) return true;
  // By name as well: a second copy of @glmm/core (or a formula error class that
  // does not extend GlmmInputError) must not turn a user's typo into "internal error".
  return err instanceof Error && (err.name === 'GlmmInputError' || err.name === 'FormulaSyntaxError');
}

/** Longest error line printed: a message quoting a binary header or a huge cell must still fit a terminal line or two. */
export const MAX_ERROR_LENGTH = 300;
/**
 * Longest usage error line: ours, and it lists the valid names (glmm fit has
 * some thirty options, about 400 characters), which a cut in the middle would
 * lose; a pasted huge argument is still cut.
 */
export const MAX_USAGE_ERROR_LENGTH = 1000;

/**
 * One line of printable text: line breaks folded, other control characters
 * (a binary file's bytes, terminal escapes) shown as "?", and a long message
 * cut in the middle, keeping its start (what went wrong) and end (the advice).
 */
export function oneLine(s: string, max = MAX_ERROR_LENGTH): string {
  // eslint-disable-next-line no-control-regex
  const line = s.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?').trim();
  if (line.length <= max) return line;
  const tail = Math.floor(max / 4);
  const omitted = line.length - (max - tail) - tail;
  return `${line.slice(0, max - tail)} [... ${omitted} characters ...] ${line.slice(-tail)}`;
}

function reportError(err: unknown, io: CliIo): number {
  const env = io.env ?? process.env;
  const debug = env['GLMM_DEBUG'] === '1';
  const message = oneLine(err instanceof Error ? err.message : String(err), err instanceof UsageError ? MAX_USAGE_ERROR_LENGTH : MAX_ERROR_LENGTH);
  let code: number;
  if (err instanceof UsageError) {
    io.stderr(`glmm: error: ${message}\n`);
    code = EXIT_USAGE;
  } else if (isInputError(err)) {
    io.stderr(`glmm: error: ${message}\n`);
    code = EXIT_INPUT;
  } else {
    io.stderr(`glmm: internal error: ${message}\n`);
    code = EXIT_INTERNAL;
  }
  if (debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return code;
}

async function helpFor(command: string | undefined, pluginSpecs: readonly string[] = []): Promise<string> {
  if (command === 'predict') return predictHelp();
  if (command === 'simulate') return simulateHelp();
  if (command === 'example') return exampleHelp((await import('./example.js')).exampleNames());
  if (isInferenceCommand(command)) return inferenceHelp(command);
  // The plugin listing comes from the container (with any --plugin bundles), never from a list here.
  const plugins = await (await import('./plugin-loading.js')).loadedPlugins(pluginSpecs);
  return command === 'fit' ? fitHelp(plugins) : topHelp(plugins);
}

/*
 * The fitting machinery is imported on demand so that --help and --version
 * answer even when a plugin package fails to load, and answer fast.
 */
async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  switch (first) {
    case undefined:
      throw new UsageError('missing command; try "glmm fit --help" or "glmm example"');
    case 'fit': {
      const args = parseArgs(rest, FIT_OPTIONS, 'glmm fit');
      const pluginSpecs = args.repeated.get('plugin') ?? [];
      if (args.options.has('help')) return printHelp(io, 'fit', pluginSpecs);
      if (args.options.has('version')) return printVersion(io);
      const { executeFit, fitSpecFromArgs } = await import('./fit-command.js');
      const spec = fitSpecFromArgs(args);
      const bundles = await (await import('./plugin-loading.js')).loadPluginBundles(pluginSpecs);
      return executeFit(spec, io, undefined, bundles);
    }
    case 'predict': {
      const args = parseArgs(rest, PREDICT_OPTIONS, 'glmm predict');
      if (args.options.has('help')) return printHelp(io, 'predict');
      if (args.options.has('version')) return printVersion(io);
      return (await import('./predict-command.js')).runPredict(args, io);
    }
    case 'simulate': {
      const args = parseArgs(rest, SIMULATE_OPTIONS, 'glmm simulate');
      if (args.options.has('help')) return printHelp(io, 'simulate');
      if (args.options.has('version')) return printVersion(io);
      return (await import('./simulate-command.js')).runSimulate(args, io);
    }
    case 'example': {
      const args = parseArgs(rest, EXAMPLE_OPTIONS, 'glmm example');
      if (args.options.has('help')) return printHelp(io, 'example');
      if (args.options.has('version')) return printVersion(io);
      return (await import('./example.js')).runExample(args, io);
    }
    case 'help':
      return printHelp(io, rest[0]);
    case 'anova':
    case 'test':
    case 'confint':
    case 'compare':
    case 'bootstrap': {
      const args = parseArgs(rest, INFERENCE_OPTIONS[first], `glmm ${first}`);
      if (args.options.has('help')) return printHelp(io, first);
      if (args.options.has('version')) return printVersion(io);
      return runInference(first, args, io);
    }
    default: {
      if (!first.startsWith('-')) {
        const guess = nearestName(first, COMMANDS);
        throw new UsageError(`unknown command "${first}"${guess ? ` (did you mean "${guess}"?)` : ''}; commands: ${COMMANDS.join(', ')}`);
      }
      const args = parseArgs(argv, TOP_OPTIONS, 'glmm');
      if (args.options.has('help')) return printHelp(io, args.positionals[0]);
      if (args.options.has('version')) return printVersion(io);
      throw new UsageError(`unexpected argument "${args.positionals[0] ?? first}"; try "glmm --help"`);
    }
  }
}

function printVersion(io: CliIo): number {
  io.stdout(`${cliVersion()}\n`);
  return EXIT_OK;
}

async function printHelp(io: CliIo, command: string | undefined, pluginSpecs: readonly string[] = []): Promise<number> {
  io.stdout(await helpFor(command, pluginSpecs));
  return EXIT_OK;
}

/**
 * Runs one command line and returns its exit code.  Never exits the process
 * and never throws: every failure becomes one `glmm: error:` line on stderr.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return reportError(err, io);
  }
}
