import type { GlmmResults, Reporter } from '@glmm/core';
import { fixtureNames, loadFixture } from '@glmm/datasets';
import { describe, expect, it } from 'vitest';
import { resultsFromReference } from './synthetic-results.js';

export interface ReporterConformanceOptions {
  /** Results to render; default lme4's answers for every shipped fixture, copied into the contract. */
  readonly results?: readonly GlmmResults[];
  /** How a name appears in the output (e.g. HTML escaping); default as it is. */
  readonly encode?: (text: string) => string;
}

/**
 * The conformance suite of a reporter plugin: for results of every family
 * and method it renders (synchronously or not) a non-empty string that names
 * every fixed effect and grouping factor, renders the same results
 * identically twice, leaves the results untouched, renders each style it
 * declares, names a family parameter estimated by ML, and renders a fit
 * with warnings and none.  The results carry no
 * per-row context, as when they are read back from JSON.
 */
export function runReporterConformance(reporter: Reporter, options: ReporterConformanceOptions = {}): void {
  const all = options.results ?? fixtureNames().map((name) => resultsFromReference(loadFixture(name).reference));
  const encode = options.encode ?? ((text: string) => text);
  describe(`reporter conformance: ${reporter.name}`, () => {
    it('has a name', () => {
      expect(reporter.name).toMatch(/^[a-z][a-z0-9-]*$/);
    });
    all.forEach((results, i) => {
      it(`renders ${results.formula} [${results.family}/${results.link}, ${results.method}] (#${i + 1})`, async () => {
        const before = JSON.stringify(results);
        const out = await reporter.render(results);
        expect(typeof out).toBe('string');
        expect(out.length).toBeGreaterThan(0);
        for (const f of results.fixedEffects) expect(out, `fixed effect ${f.name}`).toContain(encode(f.name));
        for (const group of Object.keys(results.ngroups)) expect(out, `grouping factor ${group}`).toContain(encode(group));
        expect(await reporter.render(results), 'deterministic').toBe(out);
        expect(JSON.stringify(results), 'the results are not modified').toBe(before);
      });
    });
    it('renders every style it declares, the first being the default', async () => {
      const base = all[0]!;
      const styles = reporter.styles ?? [];
      if (styles.length > 0) expect(await reporter.render(base, { style: styles[0]! })).toBe(await reporter.render(base));
      for (const style of styles) {
        const out = await reporter.render(base, { style });
        expect(out.length, `style ${style}`).toBeGreaterThan(0);
        for (const f of base.fixedEffects) expect(out, `style ${style}: fixed effect ${f.name}`).toContain(encode(f.name));
      }
    });
    it('names a family parameter estimated by maximum likelihood (negative binomial shape, ML dispersion)', async () => {
      // A name no reporter prints otherwise, so only the parameter can have put it there.
      const name = 'kappa_shape';
      const withParameter: GlmmResults = { ...all[0]!, familyParameter: { name, estimate: 2.5, stdError: 0.25 } };
      expect(await reporter.render(all[0]!)).not.toContain(encode(name));
      expect(await reporter.render(withParameter)).toContain(encode(name));
    });
    it('renders warnings, and a fit without any', async () => {
      const base = all[0]!;
      const warned: GlmmResults = {
        ...base,
        warnings: [{ code: 'singular-fit', message: 'boundary (singular) fit', advice: 'Consider removing the term.' }],
      };
      expect((await reporter.render(warned)).length).toBeGreaterThan(0);
      expect((await reporter.render({ ...base, warnings: [] })).length).toBeGreaterThan(0);
    });
  });
}
