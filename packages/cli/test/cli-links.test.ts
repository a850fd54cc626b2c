/** Links by name from the command line: power(p) and refused pairs. */
import { describe, expect, it } from 'vitest';
import type { GlmmResults } from '@glmm/core';
import { loadFamilyReference, type Reference } from '@glmm/datasets';
import { expectOneLineError, run } from './helpers.js';

// lme4 1.1-31, glmer(y ~ x + (1 | g), family = poisson(link = power(1/3))) (packages/datasets/r/make-links-by-name-references.R).
const power = loadFamilyReference<Reference>('poisson_power_third_laplace');
const fit = ['fit', '--data', power.csvPath, '--formula', 'y ~ x + (1 | g)', '--categorical', 'g'];

describe('glmm fit --link', () => {
  it('takes a power link by name, --link "power(1/3)"', async () => {
    const r = await run([...fit, '--family', 'poisson', '--link', 'power(1/3)', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as GlmmResults;
    expect(results.link).toBe('mu^0.333');
    expect(results.fit.logLik).toBeCloseTo(power.reference.logLik, 3);
    results.fixedEffects.forEach((f, i) => {
      const ref = power.reference.fixef[i]!;
      expect(Math.abs(f.estimate - ref.estimate)).toBeLessThan(0.01 * ref.se);
    });
  });

  it('refuses a link the family cannot take with one line naming both', async () => {
    const message = expectOneLineError(await run([...fit, '--family', 'poisson', '--link', 'logit']), 1);
    expect(message).toMatch(/^link "logit" cannot be used with the poisson family .*; links for poisson: log, identity, sqrt, .*power\(p\)/);
    const bad = expectOneLineError(await run([...fit, '--family', 'poisson', '--link', 'power(x)']), 1);
    expect(bad).toContain('"x" is not a number');
  });
});
