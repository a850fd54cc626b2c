import { dataOption } from './data-option.js';
import { readModelFile } from './model-file-io.js';
import { commandContainer } from './plugin-loading.js';
import { anova, DF_METHODS, dfMethodLabel, type AnovaType, type DfMethod } from '@glmm/inference';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './io.js';
import { choiceOption, modelPath, noPositionals, tableFormat } from './model-option.js';
import { csvText, jsonText, num, pval, textTable } from './table-output.js';

/** `glmm anova --model model.json [--ddf satterthwaite|residual|z] [--type 3|marginal] [--data FILE]` */
export async function runAnova(args: ParsedArgs, io: CliIo): Promise<number> {
  noPositionals(args.positionals, 'anova');
  const format = tableFormat(args.options);
  const ddf = choiceOption<DfMethod>(args.options, 'ddf', DF_METHODS);
  const type = choiceOption<AnovaType>(args.options, 'type', ['3', 'marginal'] as const);
  const model = readModelFile(modelPath(args.options, 'anova'), await commandContainer(args), await dataOption(args.options));
  const table = anova(model, { ...(ddf ? { ddf } : {}), ...(type ? { type } : {}) });
  if (format === 'json') {
    io.stdout(jsonText({ type: table.type, dfMethod: table.dfMethod, terms: table.terms, notes: table.notes }));
  } else if (format === 'csv') {
    io.stdout(csvText(['term', 'numDF', 'denDF', 'F', 'pValue'], table.terms.map((t) => [t.term, t.numDF, t.denDF, t.F, t.pValue])));
  } else {
    const title = table.type === '3' ? 'Type III analysis of variance' : 'Marginal analysis of variance (each term\'s own columns; depends on the coding)';
    const lines = [
      `${title}: F tests with ${table.dfMethod === 'z' ? 'denominator DF infinite (chi-square / numDF)' : dfMethodLabel(table.dfMethod).replace(/^t with /, '')}`,
      ...textTable(
        ['', 'NumDF', 'DenDF', 'F value', 'Pr(>F)'],
        table.terms.map((t) => [t.term, String(t.numDF), t.denDF === null ? 'Inf' : num(t.denDF, 5), num(t.F, 5), pval(t.pValue)]),
      ),
      ...table.notes.map((n) => `Note: ${n}`),
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return 0;
}
