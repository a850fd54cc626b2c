import type { Fixture } from '@glmm/datasets';
import { fitGlmm, readCsvFile } from '@glmm/glmm';

/** Fits a reference fixture's model through the public library API exactly as a user would state it. */
export function fitFixture(fixture: Fixture) {
  const ref = fixture.reference;
  const categorical = Object.entries(ref.column_types)
    .filter(([, t]) => t === 'categorical')
    .map(([c]) => c);
  const agq = ref.method === 'AGQ';
  return fitGlmm({
    formula: ref.formula,
    data: readCsvFile(fixture.csvPath),
    family: ref.family,
    link: ref.link,
    method: agq ? 'agq' : ref.method.toLowerCase(),
    categorical,
    options: agq ? { nAGQ: ref.nAGQ ?? 1 } : {},
  });
}
