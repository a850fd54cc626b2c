import { parseFormula } from '@glmm/formula';
import { type Simulation } from '@glmm/glmm';
import { integerOption, type ParsedArgs } from './args.js';
import { csvNumber, csvText } from './csv-output.js';
import { writeTextFile } from './data-file.js';
import type { CliIo } from './io.js';
import { dataOption } from './data-option.js';
import { readModelFile } from './model-file-io.js';
import { commandContainer } from './plugin-loading.js';
import { UsageError } from './usage-error.js';

/** Simulated responses as the formula's left side reads them: successes for cbind(), else y. */
function responseColumns(sim: Simulation, counts: boolean): Float64Array[] {
  if (!counts) return [...sim.responses];
  return sim.responses.map((y) => Float64Array.from(y, (v, i) => Math.round(v * sim.weights[i]!)));
}

/** `glmm simulate`, its arguments parsed against SIMULATE_OPTIONS (--help and --version answered before). */
export async function runSimulate(args: ParsedArgs, io: CliIo): Promise<number> {
  const note = (s: string): void => {
    if (!args.options.has('quiet')) io.stderr(s);
  };
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}" for "glmm simulate"; options take the form --name value`);
  const modelPath = args.options.get('model');
  if (modelPath === undefined) throw new UsageError('missing required option --model FILE.json (a model saved by glmm fit --save)');
  const nsim = integerOption(args, 'nsim', 1) ?? 1;
  const seed = integerOption(args, 'seed', 0);
  const format = (args.options.get('format') ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json for glmm simulate (got "${format}")`);
  const model = readModelFile(modelPath, await commandContainer(args), await dataOption(args.options));
  const sim = model.simulate({ nsim, conditional: args.options.has('conditional'), ...(seed !== undefined ? { seed } : {}) });
  // Quiet runs that want the drawn seed find it in --format json.
  if (seed === undefined) note(`glmm: simulated with --seed ${sim.seed}\n`);
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
    note(`glmm: wrote ${sim.nsim} simulations of ${sim.rows.length} rows to ${csvText(output)}\n`);
  } else io.stdout(text);
  return 0;
}
