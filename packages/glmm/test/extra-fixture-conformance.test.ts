import { fitGlmm, readCsvFile } from '@glmm/glmm';
import { extraFixtureNames, loadExtraFixture, type Fixture } from '@glmm/datasets';
import { compareToReference } from '@glmm/testing';
import { describe, expect, it } from 'vitest';

/**
 * lme4 references beyond the shipped fixtures (packages/datasets/extra-fixtures,
 * made by packages/datasets/r/make-reference.R): crossed binary, factor slopes,
 * slope/nested GLMMs for every family, AGQ, cloglog/probit, singular fits.
 * Judged by the same rules as the shipped fixtures; nothing here is tuned to them.
 */
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

const names = extraFixtureNames();

describe('extra lme4 references', () => {
  it('are all present', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of names) {
    const fixture = loadExtraFixture(name);
    const ref = fixture.reference;
    it(`reproduces lme4 on ${name}: ${ref.formula} [${ref.family}/${ref.link}, ${ref.method}]`, async () => {
      const results = await fitFixture(fixture);
      const failures = compareToReference(results, ref);
      expect(failures, `${name}:\n  ${failures.join('\n  ')}`).toEqual([]);
    });
  }
});
