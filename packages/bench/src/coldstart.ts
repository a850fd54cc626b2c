/**
 * Child-process entry of the coldstart case: what a user's first script pays.
 * Imports the built library (its single-file bundle, as an app or the CLI
 * would ship it), reads sleepstudy.csv, fits, prints.  argv[2]: CSV path.
 */
import { fitGlmm, readCsvFile } from '@glmm/glmm/bundle';

const results = fitGlmm({ formula: 'Reaction ~ Days + (Days | Subject)', data: readCsvFile(process.argv[2] as string) });
for (const f of results.fixedEffects) process.stdout.write(`${f.name} ${f.estimate}\n`);
