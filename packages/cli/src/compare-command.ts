import { dataOption } from './data-option.js';
import { readModelFile } from './model-file-io.js';
import { commandContainer } from './plugin-loading.js';
import { compare } from '@glmm/inference';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './io.js';
import { noPositionals, tableFormat } from './model-option.js';
import { csvText, jsonText, num, pval, textTable } from './table-output.js';
import { UsageError } from './usage-error.js';

/** `glmm compare --model m0.json --model m1.json [--data FILE]` */
export async function runCompare(args: ParsedArgs, io: CliIo): Promise<number> {
  noPositionals(args.positionals, 'compare');
  const format = tableFormat(args.options);
  const paths = args.repeated.get('model') ?? [];
  if (paths.length !== 2) throw new UsageError(`glmm compare needs exactly two models (--model m0.json --model m1.json), got ${paths.length}`);
  const data = await dataOption(args.options);
  const container = await commandContainer(args);
  const [a, b] = paths.map((p) => readModelFile(p, container, data)) as [ReturnType<typeof readModelFile>, ReturnType<typeof readModelFile>];
  const c = compare(a, b);
  if (format === 'json') {
    io.stdout(jsonText({ chiSq: c.chiSq, df: c.df, pValue: c.pValue, models: c.models, refitted: c.refitted, notes: c.notes }));
  } else if (format === 'csv') {
    io.stdout(
      csvText(
        ['model', 'formula', 'npar', 'logLik', 'aic', 'bic', 'chiSq', 'df', 'pValue'],
        c.models.map((m, i) => [i === 0 ? 'm0' : 'm1', m.formula, m.npar, m.logLik, m.aic, m.bic, i === 0 ? null : c.chiSq, i === 0 ? null : c.df, i === 0 ? null : c.pValue]),
      ),
    );
  } else {
    const lines = [
      'Likelihood-ratio test of nested models',
      ...c.models.map((m, i) => ` m${i}: ${m.formula}`),
      ...textTable(
        ['', 'npar', 'AIC', 'BIC', 'logLik', 'Chisq', 'Df', 'Pr(>Chisq)'],
        c.models.map((m, i) => [`m${i}`, String(m.npar), num(m.aic, 6), num(m.bic, 6), num(m.logLik, 6), i === 0 ? '' : num(c.chiSq, 5), i === 0 ? '' : String(c.df), i === 0 ? '' : pval(c.pValue)]),
      ),
      ...c.notes.map((n) => `Note: ${n}`),
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return 0;
}
