import type { Family } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { runLinkPairConformance } from './family-link-pairs.js';

/** One known-value check: R's `dev.resids` and `aic` for these inputs. */
export interface FamilyKnownValue {
  readonly label: string;
  readonly y: readonly number[];
  readonly mu: readonly number[];
  /** Prior weights (binomial: trials). Default all 1. */
  readonly wt?: readonly number[];
  /** R's `n` argument of `aic` (binomial trials). Default all 1. */
  readonly n?: readonly number[];
  /** Expected `dev.resids` element by element, when given. */
  readonly devResiduals?: readonly number[];
  /** Expected sum(dev.resids). */
  readonly deviance: number;
  /** Expected aic(y, n, mu, wt, deviance). */
  readonly aic: number;
  /** Relative tolerance. Default 1e-10. */
  readonly tolerance?: number;
}

export interface LatentVarianceCase {
  readonly link: string;
  readonly context: { dispersion: number; meanEta: number; randomVariance: number };
  /** Expected value, or null when the family has no latent variance for this link. */
  readonly value: number | null;
}

export interface FamilyConformanceCases {
  /** Responses the family accepts (with unit weights unless `validWeights`). */
  readonly validY: readonly number[];
  readonly validWeights?: readonly number[];
  /** Response vectors checkResponse must reject (each with unit weights unless given). */
  readonly invalidY: readonly { readonly y: readonly number[]; readonly wt?: readonly number[] }[];
  /** Means inside the mean space. */
  readonly validMu: readonly number[];
  /** Mean vectors validMu must reject. */
  readonly invalidMu?: readonly (readonly number[])[];
  /** Expected variance function values: V(mu[i]) = variance[i]. */
  readonly variance?: { readonly mu: readonly number[]; readonly expected: readonly number[] };
  /** Expected startingMu for validY and validWeights. */
  readonly startingMu?: readonly number[];
  readonly knownValues: readonly FamilyKnownValue[];
  readonly latentVariance?: readonly LatentVarianceCase[];
  /** Required when the family has a `parameter`: how to check it and the families it fixes. */
  readonly parameter?: FamilyParameterCases;
}

/** A parameter value and what the family fixed there must give. */
export interface AtCase {
  /** The parameter value: the family checked is `parameter.at(at)`. */
  readonly at: number;
}

export interface FamilyParameterCases {
  /** Values at which `parameter.at(value)` runs the whole suite, links and extreme eta included. */
  readonly values: readonly number[];
  /** Values `at` must refuse with a RangeError (outside (lower, upper), NaN). */
  readonly invalidValues?: readonly number[];
  /** Known dev.resids and exact -2 log-likelihoods (as `aic`) of the fixed families. */
  readonly knownValues?: readonly (FamilyKnownValue & AtCase)[];
  readonly variance?: readonly ({ readonly mu: readonly number[]; readonly expected: readonly number[] } & AtCase)[];
  readonly latentVariance?: readonly (LatentVarianceCase & AtCase)[];
  /** R's maximum-likelihood value at given means, which `start` must reproduce. */
  readonly start?: readonly {
    readonly y: readonly number[];
    readonly mu: readonly number[];
    readonly wt?: readonly number[];
    readonly expected: number;
    /** Relative tolerance. Default 1e-6. */
    readonly tolerance?: number;
  }[];
}

const f64 = (values: readonly number[]): Float64Array => Float64Array.from(values);
const ones = (n: number): Float64Array => new Float64Array(n).fill(1);

function closeTo(actual: number, expected: number, rel: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs expected ${expected}`).toBeLessThanOrEqual(
    rel * Math.max(1, Math.abs(expected)),
  );
}

/**
 * Registers the checks every Family must pass, its known values, and every
 * link x family pair (see runLinkPairConformance): the pairs the family
 * allows are checked at extreme eta included, the others must be refused.
 * A family with a `parameter` is also checked at each of
 * `cases.parameter.values`, through `parameter.at(value)`, the same way.
 */
export function runFamilyConformance(family: Family, cases: FamilyConformanceCases): void {
  describe(`family conformance: ${family.name}`, () => {
    it('lists its canonical link among the allowed links', () => {
      expect(family.allowedLinks).toContain(family.canonicalLink);
    });
    runFamilyChecks(family, cases);
    runLinkPairConformance(family, pairCases(cases));
    if (family.parameter || cases.parameter) runParameterChecks(family, cases);
  });
}

function pairCases(cases: FamilyConformanceCases) {
  const y = f64(cases.validY);
  return { y, wt: cases.validWeights ? f64(cases.validWeights) : ones(y.length), validMu: f64(cases.validMu) };
}

function runParameterChecks(family: Family, cases: FamilyConformanceCases): void {
  const parameter = family.parameter!;
  const pc = cases.parameter;
  describe(`parameter "${parameter?.name}" of ${family.name}`, () => {
    it('is declared and has cases to check it with', () => {
      expect(parameter, 'cases.parameter given for a family without a parameter').toBeDefined();
      expect(pc, 'a family with a parameter needs cases.parameter').toBeDefined();
      expect(pc!.values.length).toBeGreaterThan(0);
      expect(parameter.name.length).toBeGreaterThan(0);
      expect(parameter.lower).toBeLessThan(parameter.upper);
    });
    if (!parameter || !pc) return;

    it('starts inside its bounds, at R\'s maximum-likelihood value where given', () => {
      const y = f64(cases.validY);
      const wt = cases.validWeights ? f64(cases.validWeights) : ones(y.length);
      const s0 = parameter.start(y, family.startingMu(y, wt), wt);
      expect(Number.isFinite(s0) && s0 > parameter.lower && s0 < parameter.upper, `start ${s0}`).toBe(true);
      for (const c of pc.start ?? []) {
        const got = parameter.start(f64(c.y), f64(c.mu), c.wt ? f64(c.wt) : ones(c.y.length));
        closeTo(got, c.expected, c.tolerance ?? 1e-6, `start`);
      }
    });

    it('refuses values outside its range', () => {
      for (const v of pc.invalidValues ?? []) expect(() => parameter.at(v), `at(${v})`).toThrow(RangeError);
    });

    it('has derivativesInLog (if provided) equal to central differences of at(value) in log(value)', (ctx) => {
      if (!parameter.derivativesInLog) ctx.skip('this parameter does not provide derivativesInLog');
      checkDerivativesInLog(family, cases);
    });

    for (const value of pc.values) {
      const fixed = parameter.at(value);
      describe(`${family.name} at ${parameter.name} = ${value}`, () => {
        it('is the same family with nothing left to estimate', () => {
          expect(fixed.name).toBe(family.name);
          expect([...fixed.allowedLinks]).toEqual([...family.allowedLinks]);
          expect(fixed.meanSpace).toEqual(family.meanSpace);
          expect(fixed.parameter).toBeUndefined();
          expect(fixed.hasDispersion).toBe(false);
          // Estimators choose kernels once, from the plugin: the fixed family offers what it offers.
          expect(fixed.varianceDerivative !== undefined, 'varianceDerivative as the plugin').toBe(family.varianceDerivative !== undefined);
        });

        it('has an aic that is the exact -2 log-likelihood, whatever deviance it is given', () => {
          const y = f64(cases.validY);
          const wt = cases.validWeights ? f64(cases.validWeights) : ones(y.length);
          for (const m of cases.validMu) {
            const mus = new Float64Array(y.length).fill(m);
            const n = ones(y.length);
            const a = fixed.aic(y, n, mus, wt, 0);
            expect(Number.isFinite(a), `aic at mu = ${m}`).toBe(true);
            expect(fixed.aic(y, n, mus, wt, 123.5)).toBe(a);
          }
        });

        runFamilyChecks(fixed, {
          ...cases,
          variance: pc.variance?.find((v) => v.at === value),
          knownValues: (pc.knownValues ?? []).filter((k) => k.at === value),
          latentVariance: (pc.latentVariance ?? []).filter((l) => l.at === value),
        });
        runLinkPairConformance(fixed, pairCases(cases));
      });
    }
  });
}

/**
 * FamilyParameter.derivativesInLog against central differences in log(value)
 * of the fixed families' per-row -2 log-likelihood (aic of one row), variance
 * and dV/dmu, at every parameter value and valid mean of the cases.
 */
function checkDerivativesInLog(family: Family, cases: FamilyConformanceCases): void {
  const parameter = family.parameter!;
  const y = f64(cases.validY);
  const wt = cases.validWeights ? f64(cases.validWeights) : ones(y.length);
  const n = y.length;
  const out = { minusTwoLogLik: new Float64Array(n), variance: new Float64Array(n), varianceDerivative: new Float64Array(n) };
  const h = 1e-5;
  const rowAic = (f: Family, mu: Float64Array, i: number) =>
    f.aic(y.subarray(i, i + 1), ones(1), mu.subarray(i, i + 1), wt.subarray(i, i + 1), 0);
  for (const value of cases.parameter!.values) {
    const up = parameter.at(value * Math.exp(h));
    const down = parameter.at(value * Math.exp(-h));
    for (const m of cases.validMu) {
      const mu = new Float64Array(n).fill(m);
      parameter.derivativesInLog!(value, y, mu, wt, out);
      const vUp = up.variance(mu);
      const vDown = down.variance(mu);
      const dvUp = up.varianceDerivative?.(mu);
      const dvDown = down.varianceDerivative?.(mu);
      for (let i = 0; i < n; i++) {
        const at = `${parameter.name} = ${value}, y = ${y[i]}, mu = ${m}`;
        closeTo(out.minusTwoLogLik[i]!, (rowAic(up, mu, i) - rowAic(down, mu, i)) / (2 * h), 1e-6, `d(-2 log f)/dlog at ${at}`);
        closeTo(out.variance[i]!, (vUp[i]! - vDown[i]!) / (2 * h), 1e-6, `dV/dlog at ${at}`);
        if (dvUp && dvDown) closeTo(out.varianceDerivative[i]!, (dvUp[i]! - dvDown[i]!) / (2 * h), 1e-6, `d(dV/dmu)/dlog at ${at}`);
      }
    }
  }
}

/** The checks of one Family object (a plugin, or a plugin's family at a fixed parameter). */
function runFamilyChecks(family: Family, cases: FamilyConformanceCases): void {
  const y = f64(cases.validY);
  const wt = cases.validWeights ? f64(cases.validWeights) : ones(y.length);
  const muGrid = f64(cases.validMu);

  it('has positive variance on valid mu', () => {
    expect(family.validMu(muGrid)).toBe(true);
    const v = family.variance(muGrid);
    for (let i = 0; i < muGrid.length; i++) {
      expect(v[i]!, `V(${muGrid[i]})`).toBeGreaterThan(0);
      expect(Number.isFinite(v[i]!)).toBe(true);
    }
    const out = new Float64Array(muGrid.length);
    expect(family.variance(muGrid, out)).toBe(out);
  });

  it('has varianceDerivative (if provided) equal to a central finite difference of the variance', (ctx) => {
    if (!family.varianceDerivative) ctx.skip('this family does not provide varianceDerivative');
    const dv = family.varianceDerivative!(muGrid);
    for (let i = 0; i < muGrid.length; i++) {
      const m = muGrid[i]!;
      const h = 1e-6 * Math.max(Math.abs(m), 1e-3);
      const fd = (family.variance(Float64Array.of(m + h))[0]! - family.variance(Float64Array.of(m - h))[0]!) / (2 * h);
      expect(Math.abs(dv[i]! - fd), `mu = ${m}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  it('has varianceAt (if provided) equal to variance and varianceDerivative', (ctx) => {
    if (!family.varianceAt) ctx.skip('this family does not provide varianceAt');
    expect(family.varianceDerivative, 'a family with varianceAt must also provide varianceDerivative').toBeDefined();
    const v = family.variance(muGrid);
    const dv = family.varianceDerivative!(muGrid);
    const out = new Float64Array(2);
    for (let i = 0; i < muGrid.length; i++) {
      family.varianceAt!(muGrid[i]!, out);
      expect([out[0], out[1]], `mu = ${muGrid[i]}`).toEqual([v[i], dv[i]]);
    }
  });

  it('has devResidualAt (if provided) equal to devResiduals', (ctx) => {
    if (!family.devResidualAt) ctx.skip('this family does not provide devResidualAt');
    for (let j = 0; j < muGrid.length; j++) {
      const mu = new Float64Array(y.length).fill(muGrid[j]!);
      const d = family.devResiduals(y, mu, wt);
      for (let i = 0; i < y.length; i++)
        expect(family.devResidualAt!(y[i]!, mu[i]!, wt[i]!), `y = ${y[i]}, mu = ${mu[i]}`).toBe(d[i]);
    }
  });

  it('has simulate (if provided) drawing valid responses with mean mu', (ctx) => {
    if (!family.simulate) ctx.skip('this family does not provide simulate');
    const m = 4000;
    const weight = cases.validWeights?.[0] ?? 1;
    const dispersion = family.hasDispersion ? 0.5 : 1;
    const random = testRandomSource(20240611);
    for (const mu0 of cases.validMu) {
      const mu = new Float64Array(m).fill(mu0);
      const w = new Float64Array(m).fill(weight);
      const draws = family.simulate!(mu, w, dispersion, random, new Float64Array(m));
      expect(family.checkResponse(draws, w), `draws at mu = ${mu0}`).toBeNull();
      let mean = 0;
      for (let i = 0; i < m; i++) mean += draws[i]!;
      mean /= m;
      const sd = Math.sqrt((dispersion * family.variance(Float64Array.of(mu0))[0]!) / weight / m);
      expect(Math.abs(mean - mu0), `mean of ${m} draws at mu = ${mu0}`).toBeLessThanOrEqual(5 * sd);
    }
  });

  it('rejects invalid mu', () => {
    for (const bad of cases.invalidMu ?? []) expect(family.validMu(f64(bad)), `mu = [${bad.join(', ')}]`).toBe(false);
  });

  it('has deviance residuals zero at mu = y and non-negative elsewhere', () => {
    expect(family.checkResponse(y, wt)).toBeNull();
    const atY = family.devResiduals(y, y, wt);
    for (let i = 0; i < y.length; i++) expect(Math.abs(atY[i]!), `y = mu = ${y[i]}`).toBeLessThanOrEqual(1e-12);
    for (let j = 0; j < muGrid.length; j++) {
      const mu = new Float64Array(y.length).fill(muGrid[j]!);
      const d = family.devResiduals(y, mu, wt);
      for (let i = 0; i < y.length; i++) {
        expect(Number.isFinite(d[i]!), `y = ${y[i]}, mu = ${mu[i]}`).toBe(true);
        expect(d[i]!, `y = ${y[i]}, mu = ${mu[i]}`).toBeGreaterThanOrEqual(-1e-12 * Math.max(1, Math.abs(y[i]!)));
      }
    }
  });

  it('has a finite aic on valid data', () => {
    for (let j = 0; j < muGrid.length; j++) {
      const mu = new Float64Array(y.length).fill(muGrid[j]!);
      const dev = family.devResiduals(y, mu, wt).reduce((a, b) => a + b, 0);
      const aic = family.aic(y, ones(y.length), mu, wt, dev);
      expect(Number.isFinite(aic), `aic at mu = ${muGrid[j]}: ${aic}`).toBe(true);
    }
  });

  it('accepts valid responses and rejects invalid ones with a reason', () => {
    expect(family.checkResponse(y, wt)).toBeNull();
    for (const bad of cases.invalidY) {
      const reason = family.checkResponse(f64(bad.y), bad.wt ? f64(bad.wt) : ones(bad.y.length));
      expect(reason, `y = [${bad.y.join(', ')}]`).toBeTypeOf('string');
      expect(reason!.length).toBeGreaterThan(0);
      expect(reason).not.toContain('\n');
    }
  });

  it('starts from a valid mu', () => {
    const start = family.startingMu(y, wt);
    expect(start.length).toBe(y.length);
    expect(family.validMu(start)).toBe(true);
    if (cases.startingMu) {
      for (let i = 0; i < y.length; i++) closeTo(start[i]!, cases.startingMu[i]!, 1e-14, `startingMu[${i}]`);
    }
    const out = new Float64Array(y.length);
    expect(family.startingMu(y, wt, out)).toBe(out);
  });

  if (cases.variance) {
    const { mu, expected } = cases.variance;
    it('has the documented variance function', () => {
      const v = family.variance(f64(mu));
      for (let i = 0; i < mu.length; i++) closeTo(v[i]!, expected[i]!, 1e-14, `V(${mu[i]})`);
    });
  }

  for (const kv of cases.knownValues) {
    it(`reproduces R's dev.resids and aic: ${kv.label}`, () => {
      const tol = kv.tolerance ?? 1e-10;
      const ky = f64(kv.y);
      const kmu = f64(kv.mu);
      const kwt = kv.wt ? f64(kv.wt) : ones(ky.length);
      const kn = kv.n ? f64(kv.n) : ones(ky.length);
      const out = new Float64Array(ky.length);
      const d = family.devResiduals(ky, kmu, kwt, out);
      expect(d).toBe(out);
      if (kv.devResiduals) {
        for (let i = 0; i < ky.length; i++) closeTo(d[i]!, kv.devResiduals[i]!, tol, `dev.resids[${i}]`);
      }
      const dev = d.reduce((a, b) => a + b, 0);
      closeTo(dev, kv.deviance, tol, 'deviance');
      closeTo(family.aic(ky, kn, kmu, kwt, dev), kv.aic, tol, 'aic');
    });
  }

  if (cases.latentVariance) {
    it('gives the latent-scale residual variance for the ICC', () => {
      for (const lv of cases.latentVariance!) {
        const result = family.latentResidualVariance(lv.link, lv.context);
        if (lv.value === null) {
          expect(result, `link ${lv.link}`).toBeNull();
        } else {
          expect(result, `link ${lv.link}`).not.toBeNull();
          closeTo(result!.value, lv.value, 1e-12, `latent variance, link ${lv.link}`);
          expect(result!.formula.length).toBeGreaterThan(0);
        }
      }
    });
  }
}

/** A small seeded uniform/normal source (mulberry32 and Box-Muller) for the simulate check: the suite needs no generator package. */
function testRandomSource(seed: number): { uniform(): number; normal(): number } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()) };
}
