import type { FitProgress } from '@glmm/core';
import { dataOption } from './data-option.js';
import { readModelFile } from './model-file-io.js';
import { commandContainer } from './plugin-loading.js';
import { bootstrap } from '@glmm/inference';
import { integerOption, type ParsedArgs } from './args.js';
import type { CliIo } from './io.js';
import { levelOption, modelPath, noPositionals, tableFormat } from './model-option.js';
import { csvText, jsonText, num, textTable } from './table-output.js';
import { UsageError } from './usage-error.js';

/** `glmm bootstrap --model model.json --data FILE --nsim N --seed S [--level 0.95]` */
export async function runBootstrap(args: ParsedArgs, io: CliIo): Promise<number> {
  noPositionals(args.positionals, 'bootstrap');
  const format = tableFormat(args.options);
  const nsim = integerOption(args, 'nsim', 2);
  const seed = integerOption(args, 'seed', 0);
  if (nsim === undefined) throw new UsageError('missing required option --nsim N (number of bootstrap replicates, e.g. 1000)');
  if (seed === undefined) throw new UsageError('missing required option --seed S (a whole number; the same seed gives the same replicates)');
  const level = levelOption(args.options);
  const model = readModelFile(modelPath(args.options, 'bootstrap'), await commandContainer(args), await dataOption(args.options));
  // A progress line on stderr every tenth of the replicates (none with --quiet): a bootstrap takes nsim refits.
  const every = Math.max(1, Math.round(nsim / 10));
  const result = bootstrap(model, {
    nsim,
    seed,
    ...(level !== undefined ? { level } : {}),
    ...(args.options.has('quiet')
      ? {}
      : {
          onProgress: (p: FitProgress) => {
            if (p.iteration !== undefined && (p.iteration % every === 0 || p.iteration === nsim)) io.stderr(`glmm: bootstrap ${p.iteration}/${nsim}\n`);
          },
        }),
  });
  if (format === 'json') {
    const { replicates: _r, ...rest } = result;
    void _r;
    io.stdout(jsonText(rest));
  } else if (format === 'csv') {
    io.stdout(csvText(['name', 'estimate', 'mean', 'stdError', 'lower', 'upper'], result.rows.map((r) => [r.name, r.estimate, r.mean, r.stdError, r.lower, r.upper])));
  } else {
    const pct = (p: number): string => `${Number((p * 100).toFixed(2))} %`;
    const lines = [
      `Parametric bootstrap: ${result.nsim} replicates (seed ${result.seed}), percentile ${Number((result.level * 100).toFixed(2))}% intervals`,
      ...textTable(
        ['', 'Estimate', 'Boot mean', 'Boot SE', pct((1 - result.level) / 2), pct(1 - (1 - result.level) / 2)],
        result.rows.map((r) => [r.name, num(r.estimate), num(r.mean), num(r.stdError), num(r.lower), num(r.upper)]),
      ),
      ...result.notes.map((n) => `Note: ${n}`),
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return 0;
}
