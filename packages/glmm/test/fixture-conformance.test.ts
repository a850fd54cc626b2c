import { fitGlmm, readCsvFile } from '@glmm/glmm';
import { fixtureNames, loadFixture, type Fixture } from '@glmm/datasets';
import { runEstimatorConformance } from '@glmm/testing';

/** Fits a fixture's model through the public library API exactly as a user would state it. */
function fitFixture(fixture: Fixture) {
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

const byMethod = new Map<string, string[]>();
for (const name of fixtureNames()) {
  const method = loadFixture(name).reference.method;
  byMethod.set(method, [...(byMethod.get(method) ?? []), name]);
}
for (const [method, names] of byMethod) {
  runEstimatorConformance(
    method,
    names.map((fixture) => ({ fixture, fit: fitFixture })),
  );
}
