import type { GlmmResults } from '@glmm/core';
import { loadFixture, type Fixture } from '@glmm/datasets';
import { describe, expect, it } from 'vitest';
import { compareToReference } from './compare-to-reference.js';

export interface EstimatorCase {
  /** Folder name under packages/datasets/fixtures, e.g. "sleepstudy_slopes_reml". */
  readonly fixture: string;
  /** Fits the fixture's model; receives the fixture (data path and reference). */
  readonly fit: (fixture: Fixture) => GlmmResults | Promise<GlmmResults>;
}

/** Registers one test per fixture: the fit must reproduce lme4 within the README's tolerances. */
export function runEstimatorConformance(name: string, cases: readonly EstimatorCase[]): void {
  describe(`estimator conformance: ${name}`, () => {
    for (const c of cases) {
      it(`reproduces lme4 on ${c.fixture}`, async () => {
        const fixture = loadFixture(c.fixture);
        const results = await c.fit(fixture);
        const failures = compareToReference(results, fixture.reference);
        expect(failures, `${c.fixture}:\n  ${failures.join('\n  ')}`).toEqual([]);
      });
    }
  });
}
