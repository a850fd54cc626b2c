import { describe, expect, it } from 'vitest';
import type { GlmmResults } from '@glmm/core';
import { fixtureNames, loadFixture, type Reference } from '@glmm/datasets';
import { compareToReference, resultsFromReference } from '@glmm/testing';

const ref = (name: string): Reference => loadFixture(name).reference;

/** The synthetic results of a fixture after `mutate`, judged against that fixture. */
function judge(name: string, mutate: (r: GlmmResults, reference: Reference) => void): string[] {
  const reference = ref(name);
  const results = structuredClone(resultsFromReference(reference));
  mutate(results, reference);
  return compareToReference(results, reference);
}

/** Exactly one failure, matching `pattern`. */
function expectCaught(failures: string[], pattern: RegExp): void {
  expect(failures, failures.join('\n')).toHaveLength(1);
  expect(failures[0]).toMatch(pattern);
}

const SLOPES = 'sleepstudy_slopes_reml';
const CBPP = 'cbpp_binomial_laplace';

describe('compareToReference', () => {
  it.each(fixtureNames())('passes lme4 itself on %s', (name) => {
    const failures = judge(name, () => {});
    expect(failures, failures.join('\n')).toEqual([]);
  });

  describe('fixed effects', () => {
    it('estimate: 0.01 SE', () => {
      const se = ref(SLOPES).fixef[1]!.se;
      expect(judge(SLOPES, (r) => void (r.fixedEffects[1]!.estimate += 0.009 * se))).toEqual([]);
      expectCaught(judge(SLOPES, (r) => void (r.fixedEffects[1]!.estimate -= 0.011 * se)), /fixed effect "Days" estimate/);
    });

    it('SE: 0.01 SE for a linear mixed model', () => {
      const se = ref(SLOPES).fixef[0]!.se;
      expect(judge(SLOPES, (r) => void (r.fixedEffects[0]!.stdError += 0.009 * se))).toEqual([]);
      expectCaught(judge(SLOPES, (r) => void (r.fixedEffects[0]!.stdError += 0.011 * se)), /"\(Intercept\)" SE/);
    });

    it('SE: 0.03 SE for a GLMM', () => {
      const se = ref(CBPP).fixef[2]!.se;
      expect(judge(CBPP, (r) => void (r.fixedEffects[2]!.stdError -= 0.029 * se))).toEqual([]);
      expectCaught(judge(CBPP, (r) => void (r.fixedEffects[2]!.stdError -= 0.031 * se)), /"period3" SE/);
    });

    it('a missing or an extra coefficient', () => {
      expectCaught(judge(CBPP, (r) => void r.fixedEffects.pop()), /"period4" missing/);
      expectCaught(
        judge(CBPP, (r) => void r.fixedEffects.push({ ...r.fixedEffects[0]!, name: 'size' })),
        /"size" is not in lme4's fit/,
      );
    });
  });

  describe('variance components', () => {
    it('random-effect SDs: 1% relative plus 0.001 x the largest SD', () => {
      const reference = ref(SLOPES);
      const largest = Math.max(...reference.varcorr.filter((v) => v.var2 === null).map((v) => v.sdcor));
      const days = reference.varcorr.find((v) => v.var1 === 'Days' && v.var2 === null)!.sdcor;
      const tol = 0.01 * days + 0.001 * largest;
      const setDays = (delta: number) => (r: GlmmResults) => {
        r.varianceComponents.find((v) => v.term === 'Days' && v.term2 === undefined)!.stdDev = days + delta;
      };
      expect(judge(SLOPES, setDays(0.95 * tol))).toEqual([]);
      expectCaught(judge(SLOPES, setDays(1.05 * tol)), /random-effect SD \(sorted, #1\)/);
    });

    it('SDs are matched sorted, whatever lme4 calls the groups', () => {
      // lme4 names the slope of an uncorrelated term "Subject.1"; the synthetic results say "Subject".
      expect(ref('sleepstudy_uncorrelated_reml').varcorr.map((v) => v.group)).toContain('Subject.1');
      expect(judge('sleepstudy_uncorrelated_reml', (r) => r.varianceComponents.reverse())).toEqual([]);
      expectCaught(
        judge('sleepstudy_uncorrelated_reml', (r) => void r.varianceComponents.splice(0, 1)),
        /random-effect SDs: 1 in the fit, 2/,
      );
    });

    it('residual SD, from the Residual row or else from sigma', () => {
      expectCaught(
        judge(SLOPES, (r) => void (r.varianceComponents.find((v) => v.group === 'Residual')!.stdDev *= 1.02)),
        /residual SD/,
      );
      const gamma = 'gamma_log_laplace';
      const dropResidual = (r: GlmmResults): void => {
        r.varianceComponents = r.varianceComponents.filter((v) => v.group !== 'Residual');
      };
      expect(judge(gamma, dropResidual)).toEqual([]);
      expectCaught(
        judge(gamma, (r) => {
          dropResidual(r);
          r.sigma *= 1.02;
        }),
        /residual SD/,
      );
    });

    it('correlations: 0.01 absolute, matched by group and terms in either order', () => {
      const corrRow = (r: GlmmResults) => r.varianceComponents.find((v) => v.term2 !== undefined)!;
      expect(
        judge(SLOPES, (r) => {
          const row = corrRow(r);
          [row.term, row.term2] = [row.term2!, row.term!];
          row.correlation! += 0.009;
        }),
      ).toEqual([]);
      expectCaught(judge(SLOPES, (r) => void (corrRow(r).correlation! -= 0.011)), /correlation Subject/);
      expectCaught(
        judge(SLOPES, (r) => {
          r.varianceComponents = r.varianceComponents.filter((v) => v.term2 === undefined);
        }),
        /correlation Subject \(\(Intercept\), Days\) missing/,
      );
      expectCaught(
        judge('sleepstudy_uncorrelated_reml', (r) => {
          r.varianceComponents.push({ group: 'Subject', term: '(Intercept)', term2: 'Days', variance: 1, stdDev: 0.1, correlation: 0.1 });
        }),
        /is not in lme4's fit/,
      );
    });
  });

  describe('fit statistics', () => {
    const ll = ref(CBPP).logLik;
    const below = 0.001 + 1e-6 * Math.abs(ll);
    const above = 0.02 + 1e-5 * Math.abs(ll);

    it('logLik: at most 0.001 (+1e-6 rel) worse, 0.02 (+1e-5 rel) better', () => {
      const shift = (d: number) => (r: GlmmResults) => void (r.fit.logLik += d);
      expect(judge(CBPP, shift(-0.95 * below))).toEqual([]);
      expectCaught(judge(CBPP, shift(-1.05 * below)), /logLik.*worse/);
      expect(judge(CBPP, shift(0.95 * above))).toEqual([]);
      expectCaught(judge(CBPP, shift(1.05 * above)), /logLik.*better/);
    });

    it('AIC and BIC: the same, mirrored', () => {
      const aic = ref(CBPP).AIC;
      const aBelow = 0.001 + 1e-6 * Math.abs(aic);
      const aAbove = 0.02 + 1e-5 * Math.abs(aic);
      expect(judge(CBPP, (r) => void (r.fit.aic += 0.95 * aBelow))).toEqual([]);
      expectCaught(judge(CBPP, (r) => void (r.fit.aic += 1.05 * aBelow)), /^AIC.*worse/);
      expect(judge(CBPP, (r) => void (r.fit.aic -= 0.95 * aAbove))).toEqual([]);
      expectCaught(judge(CBPP, (r) => void (r.fit.aic -= 1.05 * aAbove)), /^AIC.*better/);
      expectCaught(judge(CBPP, (r) => void (r.fit.bic += 0.01)), /^BIC.*worse/);
      expectCaught(judge(CBPP, (r) => void (r.fit.bic = NaN)), /^BIC.*not finite/);
    });

    it('conditional deviance: 0.01 (+1e-4 rel)', () => {
      const cd = ref(CBPP).conditional_deviance;
      const tol = 0.01 + 1e-4 * cd;
      expect(judge(CBPP, (r) => void (r.fit.conditionalDeviance -= 0.95 * tol))).toEqual([]);
      expectCaught(judge(CBPP, (r) => void (r.fit.conditionalDeviance += 1.05 * tol)), /conditional deviance/);
    });

    it('nobs and the singular flag must agree', () => {
      expectCaught(judge(CBPP, (r) => void (r.nobs -= 1)), /nobs/);
      expectCaught(judge('dyestuff2_singular_reml', (r) => void (r.singular = false)), /singular/);
    });
  });

  describe('random effects', () => {
    it('BLUPs: 0.02 x (condSd + 0.001 x the largest |BLUP|)', () => {
      const block = ref(SLOPES).ranef.find((b) => b.term === 'Days')!;
      const largest = Math.max(...block.condval.map(Math.abs));
      const tol = 0.02 * (block.condsd[4]! + 0.001 * largest);
      const level = block.levels[4]!;
      const shift = (d: number) => (r: GlmmResults) => {
        r.randomEffects.find((e) => e.term === 'Days' && e.level === level)!.value += d;
      };
      expect(judge(SLOPES, shift(0.95 * tol))).toEqual([]);
      expectCaught(judge(SLOPES, shift(-1.05 * tol)), new RegExp(`BLUP Subject Days level "${level}"`));
    });

    it('condSd: 2% relative plus 0.001 x the largest condSd', () => {
      const block = ref(CBPP).ranef[0]!;
      const largest = Math.max(...block.condsd);
      const tol = 0.02 * block.condsd[0]! + 0.001 * largest;
      const shift = (d: number) => (r: GlmmResults) => void (r.randomEffects[0]!.condSd += d);
      expect(judge(CBPP, shift(0.95 * tol))).toEqual([]);
      expectCaught(judge(CBPP, shift(1.05 * tol)), /condSd/);
    });

    it('every level present, under the names lme4 uses for nested groups', () => {
      const nested = 'pastes_nested_reml';
      expect(ref(nested).ranef.map((b) => b.group)).toContain('cask:batch');
      expectCaught(
        judge(nested, (r) => {
          r.randomEffects = r.randomEffects.filter((e) => !(e.group === 'cask:batch' && e.level === 'a:A'));
        }),
        /BLUP cask:batch \(Intercept\): levels missing: a:A$/,
      );
      expectCaught(
        judge(nested, (r) => void r.randomEffects.push({ ...r.randomEffects[0]!, level: 'K' })),
        /levels not in lme4's fit: K$/,
      );
      const failures = judge(nested, (r) => {
        for (const e of r.randomEffects) if (e.group === 'cask:batch') e.group = 'batch:cask';
      });
      expect(failures.some((f) => /cask:batch \(Intercept\): term missing/.test(f))).toBe(true);
      expect(failures.some((f) => /batch:cask \(Intercept\): term is not in lme4's fit/.test(f))).toBe(true);
    });

    it('a singular fit tolerates BLUPs at numerical zero, not visible ones', () => {
      const singular = 'dyestuff2_singular_reml';
      expect(judge(singular, (r) => r.randomEffects.forEach((e) => (e.value = 1e-9)))).toEqual([]);
      const failures = judge(singular, (r) => void (r.randomEffects[0]!.value = 0.01));
      expectCaught(failures, /BLUP Batch \(Intercept\) level "A"/);
    });
  });
});
