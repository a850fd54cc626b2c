import { describe, expect, it } from 'vitest';
import { bobyqa, nelderMead, quasiNewton } from '../src/index.js';
import { fixtureReference, loadGroups, oneWayRemlCriterion } from './reml-criteria.js';

function loadFixture(fixture: string): { groups: number[][]; theta: number; reml: number } {
  const ref = fixtureReference(fixture);
  return { groups: loadGroups(fixture), theta: ref.theta[0]!, reml: ref.REML_criterion };
}

describe.each([
  ['nelder-mead', nelderMead],
  ['quasi-newton', quasiNewton],
  ['bobyqa', bobyqa],
] as const)('%s on lme4 REML criteria', (_name, minimize) => {
  it('reproduces theta and the REML criterion of Dyestuff', () => {
    const { groups, theta, reml } = loadFixture('dyestuff_reml');
    const f = oneWayRemlCriterion(groups);
    // The closed form agrees with lme4 at lme4's optimum.
    expect(f(Float64Array.of(theta))).toBeCloseTo(reml, 8);
    const r = minimize(f, Float64Array.of(1), { lower: Float64Array.of(0) });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - theta)).toBeLessThan(1e-5);
    expect(r.fval).toBeLessThanOrEqual(reml + 1e-9);
    expect(reml - r.fval).toBeLessThan(1e-8 * reml);
  });

  it('puts theta exactly at 0 for the singular Dyestuff2', () => {
    const { groups, theta, reml } = loadFixture('dyestuff2_singular_reml');
    expect(theta).toBe(0);
    const f = oneWayRemlCriterion(groups);
    const r = minimize(f, Float64Array.of(1), { lower: Float64Array.of(0) });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    expect(r.fval).toBeCloseTo(reml, 8);
  });
});
