import { parseFormula } from '@glmm/formula';
import { createDefaultContainer, type Simulation } from '@glmm/glmm';
import { formatOptions, integerOption, parseArgs, type OptionSpec } from './args.js';
import { csvNumber, csvText } from './csv-output.js';
import { writeTextFile } from './data-file.js';
import type { CliIo } from './io.js';
import { readModelFile } from './model-file-io.js';
import { UsageError } from './usage-error.js';

export const SIMULATE_OPTIONS: readonly OptionSpec[] = [
  { name: 'model', kind: 'value', valueName: 'FILE.json', description: 'model saved by glmm fit --save (required)' },
  { name: 'nsim', kind: 'value', valueName: 'N', description: 'number of simulated responses (default 1)' },
  { name: 'seed', kind: 'value', valueName: 'S', description: 'seed of the generator; without it one is drawn and printed' },
  { name: 'conditional', kind: 'flag', description: 'keep the fitted random effects (default: draw new ones, as lme4)' },
  { name: 'data', kind: 'value', valueName: 'FILE.csv', description: 'the data of the fit, for a model saved without its design' },
  { name: 'format', kind: 'value', valueName: 'NAME', description: 'csv (default) or json' },
  { name: 'output', kind: 'value', valueName: 'FILE', description: 'write to FILE instead of stdout' },
  { name: 'help', kind: 'flag', short: 'h', description: 'show this help' },
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

/** Simulated responses as the formula's left side reads them: successes for cbind(), else y. */
function responseColumns(sim: Simulation, counts: boolean): Float64Array[] {
  if (!counts) return [...sim.responses];
  return sim.responses.map((y) => Float64Array.from(y, (v, i) => Math.round(v * sim.weights[i]!)));
}

export function runSimulate(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv, SIMULATE_OPTIONS, 'glmm simulate');
  if (args.options.has('help')) {
    io.stdout(simulateHelp());
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}" for "glmm simulate"; options take the form --name value`);
  const modelPath = args.options.get('model');
  if (modelPath === undefined) throw new UsageError('missing required option --model FILE.json (a model saved by glmm fit --save)');
  const nsim = integerOption(args, 'nsim', 1) ?? 1;
  const seed = integerOption(args, 'seed', 0);
  const format = (args.options.get('format') ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json for glmm simulate (got "${format}")`);
  const model = readModelFile(modelPath, createDefaultContainer(), args.options.get('data'));
  const sim = model.simulate({ nsim, conditional: args.options.has('conditional'), ...(seed !== undefined ? { seed } : {}) });
  if (seed === undefined) io.stderr(`glmm: simulated with --seed ${sim.seed}\n`);
  const response = parseFormula(model.formula).response;
  const counts = response.kind === 'cbind';
  const columns = responseColumns(sim, counts);
  let text: string;
  if (format === 'csv') {
    const header = ['row', ...columns.map((_, s) => `sim_${s + 1}`)];
    const lines = [header.join(',')];
    for (let i = 0; i < sim.rows.length; i++) {
      let line = String(sim.rows[i]! + 1);
      for (const c of columns) line += `,${csvNumber(c[i]!)}`;
      lines.push(line);
    }
    text = `${lines.join('\n')}\n`;
  } else {
    text = `${JSON.stringify({
      seed: sim.seed,
      nsim: sim.nsim,
      conditional: sim.conditional,
      response: response.label,
      rows: Array.from(sim.rows, (r) => r + 1),
      ...(counts ? { trials: Array.from(sim.weights) } : {}),
      simulations: columns.map((c) => Array.from(c)),
    })}\n`;
  }
  if (args.options.get('output') !== undefined) {
    const output = args.options.get('output')!;
    writeTextFile(output, text, 'simulations');
    io.stderr(`glmm: wrote ${sim.nsim} simulations of ${sim.rows.length} rows to ${csvText(output)}\n`);
  } else io.stdout(text);
  return 0;
}
