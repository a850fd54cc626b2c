import { describe, expect, it } from 'vitest';
import { createContainer, GlmmInputError, resolveLink, resolvePlugin, listPlugins, type Link } from '@glmm/core';
import { runLinkConformance } from '@glmm/testing';
import {
  cloglogLink,
  identityLink,
  inverseLink,
  inverseSquaredLink,
  linksBundle,
  logLink,
  logitLink,
  loglogLink,
  powerLink,
  powerLinks,
  probitLink,
  sqrtLink,
} from '@glmm/links';

runLinkConformance(identityLink);
runLinkConformance(logLink);
runLinkConformance(logitLink);
runLinkConformance(probitLink);
// Beyond eta ~ 3.58 (cloglog) and below -3.58 (loglog) mu rounds to 1 - eps: no longer invertible.
runLinkConformance(cloglogLink, { etaRange: [-5, 3] });
runLinkConformance(loglogLink, { etaRange: [-3, 5] });
runLinkConformance(inverseLink, { etaRange: [0.05, 5], invalidEta: [[0], [1, 0]] });
runLinkConformance(sqrtLink, { etaRange: [0.05, 5], invalidEta: [[0], [-1]] });
runLinkConformance(inverseSquaredLink, { etaRange: [0.05, 5], invalidEta: [[0], [-1]] });
runLinkConformance(powerLink(1 / 3), { etaRange: [0.05, 5], invalidEta: [[0], [-2]] });
runLinkConformance(powerLink(-1.5), { etaRange: [0.05, 5], invalidEta: [[0]] });
runLinkConformance(powerLink(2), { etaRange: [0.05, 5], invalidEta: [[0], [-1]] });
// mu = eta^100 is floored at DBL_EPSILON below eta = 0.698.
runLinkConformance(powerLink(0.01), { etaRange: [0.75, 1.5], invalidEta: [[0]] });
runLinkConformance(powerLink(-3), { etaRange: [0.05, 5], invalidEta: [[0]] });
runLinkConformance(powerLinks);

/** Values from R 4.2.2's make.link() and power(), printed with %.17g. */
function expectValues(f: (x: Float64Array) => Float64Array, x: number[], expected: number[], rel = 1e-15): void {
  const got = f(Float64Array.from(x));
  x.forEach((xi, i) => {
    const e = expected[i]!;
    expect(Math.abs(got[i]! - e), `at ${xi}: ${got[i]} vs ${e}`).toBeLessThanOrEqual(rel * Math.abs(e) + 1e-300);
  });
}

describe("links reproduce R's make.link", () => {
  it('logit, including the clamps beyond |eta| = 30', () => {
    const eta = [-40, -30, -2.5, 0, 0.7, 30, 40];
    expectValues(logitLink.linkinv, eta, [
      2.2204460492503126e-16, 9.3576229688393001e-14, 0.07585818002124356, 0.5, 0.66818777216816616,
      0.99999999999990641, 0.99999999999999978,
    ]);
    expectValues(logitLink.muEta, eta, [
      2.2204460492503131e-16, 9.3576229688384254e-14, 0.070103716545108177, 0.25, 0.22171287329310907,
      9.3576229688384229e-14, 2.2204460492503131e-16,
    ], 1e-14);
    expectValues(logitLink.linkfun, [0.1, 0.5, 0.9], [-2.1972245773362191, 0, 2.1972245773362196]);
  });

  it('probit, clamped at -qnorm(DBL_EPSILON)', () => {
    const eta = [-9, -8.2, -1.3, 0, 0.4, 8.5, 40];
    expectValues(probitLink.linkinv, eta, [
      2.2204460492503284e-16, 2.2204460492503284e-16, 0.096800484585610344, 0.5, 0.65542174161032418,
      0.99999999999999978, 0.99999999999999978,
    ], 1e-14);
    expectValues(probitLink.muEta, eta, [
      2.2204460492503131e-16, 9.9983787484972129e-16, 0.17136859204780736, 0.3989422804014327, 0.36827014030332333,
      2.2204460492503131e-16, 2.2204460492503131e-16,
    ], 1e-14);
    expectValues(probitLink.linkfun, [1e-10, 0.025, 0.6, 0.999], [
      -6.3613409024040557, -1.9599639845400538, 0.25334710313579978, 3.0902323061678132,
    ], 1e-14);
  });

  it('cloglog, with the eps clamps and the eta cap at 700', () => {
    const eta = [-40, -3, 0, 0.5, 3.5, 4, 800];
    expectValues(cloglogLink.linkinv, eta, [
      2.2204460492503131e-16, 0.048568007099546597, 0.63212055882855767, 0.80770435445203503, 0.99999999999999589,
      0.99999999999999978, 0.99999999999999978,
    ], 1e-14);
    expectValues(cloglogLink.muEta, eta, [
      2.2204460492503131e-16, 0.047369009677907921, 0.36787944117144233, 0.31704192107794216, 1.3745882754335496e-13,
      2.2204460492503131e-16, 2.2204460492503131e-16,
    ], 1e-12);
    // log(-log(1 - mu)) to 20 digits; R's own value at 1e-6 is 3e-11 off since it forms 1 - mu.
    expectValues(cloglogLink.linkfun, [1e-6, 0.2, 0.8], [-13.815510057964065771, -1.4999399867595155579, 0.47588499532711062102], 1e-14);
  });

  it('loglog, the mirror image of cloglog', () => {
    // exp(-exp(-1.3)), its derivative and -log(-log(0.3)), to 20 digits.
    expectValues(loglogLink.linkinv, [1.3], [0.76144922000941528416], 1e-15);
    expectValues(loglogLink.muEta, [1.3], [0.20751912123351628518], 1e-15);
    expectValues(loglogLink.linkfun, [0.3], [-0.18562675886236564378], 1e-15);
    const eta = Float64Array.of(-2, 0.3, 4);
    const mirrored = cloglogLink.linkinv(Float64Array.from(eta, (e) => -e));
    const mu = loglogLink.linkinv(eta);
    eta.forEach((_, i) => expect(mu[i]! + mirrored[i]!).toBeCloseTo(1, 15));
  });

  it('log, inverse, 1/mu^2, sqrt and power(1/3)', () => {
    expectValues(logLink.linkinv, [-40, -1, 2.5], [2.2204460492503131e-16, 0.36787944117144233, 12.182493960703473]);
    expectValues(logLink.muEta, [-40, -1, 2.5], [2.2204460492503131e-16, 0.36787944117144233, 12.182493960703473]);
    expectValues(inverseLink.linkinv, [-2, 0.5, 4], [-0.5, 2, 0.25]);
    expectValues(inverseLink.muEta, [-2, 0.5, 4], [-0.25, -4, -0.0625]);
    expectValues(inverseSquaredLink.linkinv, [0.25, 4], [2, 0.5]);
    expectValues(inverseSquaredLink.muEta, [0.25, 4], [-4, -0.0625]);
    expectValues(inverseSquaredLink.linkfun, [0.5, 3], [4, 0.1111111111111111]);
    expectValues(sqrtLink.linkinv, [0.5, 3], [0.25, 9]);
    expectValues(sqrtLink.muEta, [0.5, 3], [1, 6]);
    const cubeRoot = powerLink(1 / 3);
    expect(cubeRoot.name).toBe('mu^0.333');
    expectValues(cubeRoot.linkinv, [0.5, 2], [0.125, 8], 1e-14);
    expectValues(cubeRoot.muEta, [0.5, 2], [0.75, 12], 1e-14);
    expectValues(cubeRoot.linkfun, [8, 0.001], [2, 0.10000000000000002], 1e-14);
    expect(powerLink(0)).toBe(logLink);
    expect(powerLink(1)).toBe(identityLink);
  });

  it('power(-1) is the inverse link', () => {
    const eta = Float64Array.of(0.2, 1, 7);
    const p = powerLink(-1);
    expect(Array.from(p.linkinv(eta))).toEqual(Array.from(inverseLink.linkinv(eta)));
    p.muEta(eta).forEach((v, i) => expect(v).toBeCloseTo(inverseLink.muEta(eta)[i]!, 14));
  });
});

describe('linksBundle', () => {
  it('registers every link under its R name', () => {
    const container = createContainer(linksBundle);
    expect(listPlugins(container, 'link')).toEqual(
      ['1/mu^2', 'cloglog', 'identity', 'inverse', 'log', 'logit', 'loglog', 'power', 'probit', 'sqrt'].sort(),
    );
    const probit: Link = resolvePlugin(container, 'link', 'Probit');
    expect(probit).toBe(probitLink);
  });
});

describe('link domains and power(p) by name', () => {
  const shipped = [identityLink, logLink, logitLink, probitLink, cloglogLink, loglogLink, inverseLink, sqrtLink, inverseSquaredLink];

  it('every shipped link declares the means it is defined on and the means it gives', () => {
    for (const link of [...shipped, powerLink(0.5), powerLink(-2)]) {
      expect(link.muDomain, link.name).toBeDefined();
      expect(link.muRange, link.name).toBeDefined();
    }
    expect(inverseLink.muRange).toEqual({ lower: -Infinity, upper: Infinity });
    expect(logitLink.muDomain).toEqual({ lower: 0, upper: 1 });
  });

  it('resolves power(p) from the container, with R\'s names and R\'s special cases', () => {
    const container = createContainer(linksBundle);
    expect(resolveLink(container, 'power(0.5)').name).toBe('mu^0.5');
    expect(resolveLink(container, 'Power( 1/3 )').name).toBe('mu^0.333');
    expect(resolveLink(container, 'power(-2)').name).toBe('mu^-2');
    expect(resolveLink(container, 'power(2e-1)').name).toBe('mu^0.2');
    expect(resolveLink(container, 'power(0)')).toBe(logLink);
    expect(resolveLink(container, 'power(1)')).toBe(identityLink);
    // R's power() without an argument is the identity.
    expect(resolveLink(container, 'power').name).toBe('identity');
    const mu = Float64Array.of(0.3, 2, 40);
    expect(Array.from(resolveLink(container, 'power(0.5)').linkfun(mu))).toEqual(Array.from(sqrtLink.linkfun(mu)));
  });

  it('refuses a malformed or unknown parametric name with one line', () => {
    const container = createContainer(linksBundle);
    expect(() => resolveLink(container, 'power(abc)')).toThrow(/link "power\(abc\)": "abc" is not a number/);
    expect(() => resolveLink(container, 'power(1/0)')).toThrow(GlmmInputError);
    expect(() => resolveLink(container, 'logit(2)')).toThrow(/link "logit" takes no parameter/);
    expect(() => resolveLink(container, 'boxcox(2)')).toThrow(/unknown link "boxcox"; loaded link plugins: 1\/mu\^2, cloglog/);
  });

  it('keeps power(p) means positive and finite and mu.eta nonzero for every positive eta', () => {
    const eta = Float64Array.of(5e-324, 1e-300, 1e-10, 1, 1e10, 1e300, Number.MAX_VALUE);
    for (const p of [-3, -1, -0.5, 0.01, 0.5, 3]) {
      const link = powerLink(p);
      const mu = link.linkinv(eta);
      const me = link.muEta(eta);
      eta.forEach((e, i) => {
        expect(mu[i]! > 0 && Number.isFinite(mu[i]!), `power(${p}) at ${e}: mu ${mu[i]}`).toBe(true);
        expect(me[i] !== 0 && Number.isFinite(me[i]!) && Math.sign(me[i]!) === Math.sign(p), `power(${p}) at ${e}: mu.eta ${me[i]}`).toBe(true);
      });
    }
  });
});
