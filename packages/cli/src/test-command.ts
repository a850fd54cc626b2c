import { dataOption } from './data-option.js';
import { readModelFile } from './model-file-io.js';
import { commandContainer } from './plugin-loading.js';
import { coefTest, DF_METHODS, dfMethodLabel, type DfMethod } from '@glmm/inference';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './io.js';
import { choiceOption, modelPath, noPositionals, tableFormat } from './model-option.js';
import { csvText, jsonText, num, pval, textTable } from './table-output.js';
import { UsageError } from './usage-error.js';

/** `glmm test --model model.json --contrast "recipeB - recipeC = 0" [--contrast ...] [--ddf ...] [--data FILE]` */
export async function runTest(args: ParsedArgs, io: CliIo): Promise<number> {
  noPositionals(args.positionals, 'test');
  const format = tableFormat(args.options);
  const ddf = choiceOption<DfMethod>(args.options, 'ddf', DF_METHODS);
  const contrasts = args.repeated.get('contrast') ?? [];
  if (contrasts.length === 0) throw new UsageError('missing required option --contrast "coefA - coefB = 0" (give it once per row of the hypothesis)');
  const model = readModelFile(modelPath(args.options, 'test'), await commandContainer(args), await dataOption(args.options));
  const r = coefTest(model, contrasts, undefined, ddf ? { ddf } : {});
  if (format === 'json') {
    io.stdout(
      jsonText({
        dfMethod: r.dfMethod,
        F: r.F,
        numDF: r.numDF,
        denDF: r.denDF,
        pValue: r.pValue,
        contrasts: r.rows.map((x) => ({ contrast: x.contrast, estimate: x.estimate, rhs: x.rhs, stdError: x.stdError, df: x.df, statistic: x.statistic, pValue: x.pValue })),
        notes: r.notes,
      }),
    );
  } else if (format === 'csv') {
    io.stdout(
      csvText(
        ['contrast', 'estimate', 'rhs', 'stdError', 'numDF', 'df', 'statistic', 'pValue'],
        [
          ...r.rows.map((x) => [x.contrast, x.estimate, x.rhs, x.stdError, 1, x.df, x.statistic, x.pValue]),
          ['(joint F)', null, null, null, r.numDF, r.denDF, r.F, r.pValue],
        ],
      ),
    );
  } else {
    const t = r.dfMethod !== 'z';
    const lines = [
      `Contrasts of the fixed effects: ${dfMethodLabel(r.dfMethod)}`,
      ...textTable(
        ['', 'Estimate', 'Std. Error', ...(t ? ['df'] : []), t ? 't value' : 'z value', t ? 'Pr(>|t|)' : 'Pr(>|z|)'],
        r.rows.map((x) => [x.contrast, num(x.estimate - x.rhs), num(x.stdError), ...(t ? [num(x.df, 5)] : []), num(x.statistic, 4), pval(x.pValue)]),
      ),
      `Joint test of the ${r.rows.length} row(s): F = ${num(r.F, 5)} on ${r.numDF} and ${r.denDF === null ? 'Inf' : num(r.denDF, 5)} DF, p = ${pval(r.pValue)}`,
      '(Estimate is the left-hand side minus the right-hand side of each row.)',
      ...r.notes.map((n) => `Note: ${n}`),
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return 0;
}
