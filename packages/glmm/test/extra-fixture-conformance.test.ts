import { fitFixture } from './fit-fixture.js';
import { extraFixtureNames, loadExtraFixture } from '@glmm/datasets';
import { compareToReference } from '@glmm/testing';
import { describe, expect, it } from 'vitest';

/*
 * lme4 references beyond the shipped fixtures (packages/datasets/extra-fixtures,
 * made by packages/datasets/r/make-reference.R): crossed binary, factor slopes,
 * slope/nested GLMMs for every family, AGQ, cloglog/probit, singular fits.
 * Judged by the same rules as the shipped fixtures; nothing here is tuned to them.
 */
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
