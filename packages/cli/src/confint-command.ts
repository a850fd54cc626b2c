import { dataOption } from './data-option.js';
import { readModelFile } from './model-file-io.js';
import { commandContainer } from './plugin-loading.js';
import { confint, type IntervalMethod } from '@glmm/inference';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './io.js';
import { choiceOption, levelOption, modelPath, noPositionals, tableFormat } from './model-option.js';
import { csvText, jsonText, num, textTable } from './table-output.js';

/** `glmm confint --model model.json [--method profile|wald] [--level 0.9] --data FILE` */
export async function runConfint(args: ParsedArgs, io: CliIo): Promise<number> {
  noPositionals(args.positionals, 'confint');
  const format = tableFormat(args.options);
  const method = choiceOption<IntervalMethod>(args.options, 'method', ['profile', 'wald'] as const);
  const level = levelOption(args.options);
  const model = readModelFile(modelPath(args.options, 'confint'), await commandContainer(args), await dataOption(args.options));
  const table = confint(model, { ...(method ? { method } : {}), ...(level !== undefined ? { level } : {}) });
  if (format === 'json') {
    io.stdout(jsonText({ method: table.method, level: table.level, rows: table.rows.map((r) => ({ name: r.name, lower: r.lower, upper: r.upper, estimate: r.estimate })), notes: table.notes }));
  } else if (format === 'csv') {
    io.stdout(csvText(['name', 'estimate', 'lower', 'upper'], table.rows.map((r) => [r.name, r.estimate, r.lower, r.upper])));
  } else {
    const pct = (p: number): string => `${Number((p * 100).toFixed(2))} %`;
    const lines = [
      `${table.method === 'profile' ? 'Profile-likelihood' : 'Wald'} ${Number((table.level * 100).toFixed(2))}% confidence intervals${table.method === 'wald' ? ' (covariance parameters on the log-SD / atanh-correlation scale)' : ''}`,
      ...textTable(
        ['', 'Estimate', pct((1 - table.level) / 2), pct(1 - (1 - table.level) / 2)],
        table.rows.map((r) => [r.name, num(r.estimate), r.lower === null ? 'NA' : num(r.lower), r.upper === null ? 'NA' : num(r.upper)]),
      ),
      ...table.notes.map((n) => `Note: ${n}`),
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return 0;
}
