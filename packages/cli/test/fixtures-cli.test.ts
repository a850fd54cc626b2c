/**
 * Acceptance: every lme4 reference fixture fitted through the command line
 * (`glmm fit ... --format json`) must match lme4 within the fixture tolerances.
 */
import { describe, expect, it } from 'vitest';
import type { GlmmResults } from '@glmm/core';
import { fixtureNames, loadFixture } from '@glmm/datasets';
import { compareToReference } from '@glmm/testing';
import { run } from './helpers.js';

/** The command line a user would type for a fixture, from its reference alone. */
export function fixtureArgs(name: string): string[] {
  const { csvPath, reference: ref } = loadFixture(name);
  const nAGQ = ref.nAGQ ?? 1;
  const categorical = Object.entries(ref.column_types)
    .filter(([, type]) => type === 'categorical')
    .map(([column]) => column);
  return [
    'fit',
    '--data', csvPath,
    '--formula', ref.formula,
    '--family', ref.family,
    '--link', ref.link,
    '--method', ref.method === 'AGQ' ? 'agq' : ref.method.toLowerCase(),
    ...(nAGQ > 1 ? ['--nagq', String(nAGQ)] : []),
    ...(categorical.length ? ['--categorical', categorical.join(',')] : []),
    '--format', 'json',
  ];
}

describe('fixtures through the CLI', () => {
  const names = fixtureNames();

  it('finds the fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(17);
    expect(fixtureArgs('cbpp_binomial_agq25')).toEqual(
      expect.arrayContaining(['--method', 'agq', '--nagq', '25', '--family', 'binomial', '--link', 'logit']),
    );
  });

  for (const name of names) {
    it(name, async () => {
      const r = await run(fixtureArgs(name));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const results = JSON.parse(r.stdout) as GlmmResults;
      expect(compareToReference(results, loadFixture(name).reference)).toEqual([]);
    });
  }
});
