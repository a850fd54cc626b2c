import { GlmmInputError, isLinkAllowed, linkFitsFamily, resolveLinkForFamily, type Family, type Link } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { linkCatalogue } from './link-catalogue.js';

/** lme4's test-glmFamily.R evaluates every family at eta = +-1e30; +-700 is where exp nears overflow. */
export const EXTREME_ETA = [-1e30, -700, -30, 0, 30, 700, 1e30] as const;

export interface LinkPairCases {
  /** Responses the family accepts, with their weights. */
  readonly y: Float64Array;
  readonly wt: Float64Array;
  /** Means inside the mean space. */
  readonly validMu: Float64Array;
  /** Links the family brings beyond the shipped ones (a family may name a link of its own). */
  readonly extraLinks?: readonly Link[];
}

const inside = (v: number, lo: number, hi: number): boolean => v > lo && v < hi;

/** Valid eta for the link: a grid over its range of means plus the extremes it accepts. */
function etaProbe(link: Link, validMu: Float64Array): Float64Array {
  const eta: number[] = [...EXTREME_ETA];
  const fromMu = link.linkfun(validMu);
  for (const e of fromMu) if (Number.isFinite(e)) eta.push(e, e * 0.5, e * 2, e + 1, e - 1);
  for (let k = -40; k <= 40; k++) eta.push(k / 4);
  return Float64Array.from(eta.filter((e) => link.validEta(Float64Array.of(e))));
}

/**
 * Registers, for every link of the catalogue (see linkCatalogue), either the
 * pair's conformance checks (when the family allows it: it names the link,
 * or the link fits its mean space) or the check that asking for the pair is
 * refused with one clear line.  Extreme eta are part of every pair's checks.
 */
export function runLinkPairConformance(family: Family, cases: LinkPairCases): void {
  const { container, links } = linkCatalogue(cases.extraLinks);
  const allowed = links.filter((l) => isLinkAllowed(family, l.link));
  const refused = links.filter((l) => !isLinkAllowed(family, l.link));

  describe(`link pairs: ${family.name}`, () => {
    it('finds every link the family names among the loaded ones', () => {
      const loaded = new Set(allowed.map((l) => l.link.name));
      for (const name of family.allowedLinks) expect(loaded.has(name), `link "${name}" of ${family.name}`).toBe(true);
    });

    it('keeps its valid means inside its declared mean space', (ctx) => {
      if (!family.meanSpace) ctx.skip('this family declares no mean space (custom links need it to pair by capability)');
      const { lower, upper } = family.meanSpace!;
      for (const m of cases.validMu) expect(inside(m, lower, upper), `mu = ${m} in (${lower}, ${upper})`).toBe(true);
    });

    for (const { request, link } of refused) {
      it(`refuses ${request} with one line naming both and the links it accepts`, () => {
        expect(linkFitsFamily(family, link)).toBe(false);
        let message = '';
        try {
          resolveLinkForFamily(container, family, request);
        } catch (err) {
          expect(err).toBeInstanceOf(GlmmInputError);
          message = (err as Error).message;
        }
        expect(message, 'the pair must be refused').not.toBe('');
        expect(message).not.toContain('\n');
        expect(message).toContain(`"${request}"`);
        expect(message).toContain(family.name);
        for (const name of family.allowedLinks) expect(message).toContain(name);
      });
    }

    for (const { request, link } of allowed) {
      describe(`${family.name} with ${request}`, () => {
        it('resolves by name for this family', () => {
          expect(resolveLinkForFamily(container, family, request).name).toBe(link.name);
        });
        runPairChecks(family, link, cases);
      });
    }
  });
}

function runPairChecks(family: Family, link: Link, cases: LinkPairCases): void {
  const { y, wt, validMu } = cases;
  const inDomain = (m: number): boolean => !link.muDomain || inside(m, link.muDomain.lower, link.muDomain.upper);
  const byCapability = !family.allowedLinks.includes(link.name);

  it("maps the family's means to valid eta and back", () => {
    const mus = validMu.filter(inDomain);
    if (byCapability) expect(mus.length, 'a link paired by capability covers every valid mean').toBe(validMu.length);
    expect(mus.length).toBeGreaterThan(0);
    const eta = link.linkfun(mus);
    expect(link.validEta(eta), `eta = [${Array.from(eta).join(', ')}]`).toBe(true);
    const back = link.linkinv(eta);
    for (let i = 0; i < mus.length; i++) {
      expect(Math.abs(back[i]! - mus[i]!), `mu = ${mus[i]}`).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(mus[i]!)));
    }
  });

  it('starts a fit from valid eta', () => {
    // R's initialize gives the starting means; those outside the link's domain
    // (gaussian y <= 0 under log) make R stop, and are left out here.
    const start = family.startingMu(y, wt).filter(inDomain);
    expect(start.length).toBeGreaterThan(0);
    const eta = link.linkfun(start);
    expect(link.validEta(eta), `eta from startingMu: [${Array.from(eta).join(', ')}]`).toBe(true);
  });

  it('gives finite, consistent family values at every valid eta, extremes included', () => {
    const eta = etaProbe(link, validMu);
    expect(eta.length).toBeGreaterThan(0);
    const mu = link.linkinv(eta);
    const muEta = link.muEta(eta);
    const rangeInside =
      !!link.muRange && !!family.meanSpace && link.muRange.lower >= family.meanSpace.lower && link.muRange.upper <= family.meanSpace.upper;
    const at2 = new Float64Array(2);
    let usable = 0;
    for (let k = 0; k < eta.length; k++) {
      const m = mu[k]!;
      const where = `eta = ${eta[k]}, mu = ${m}`;
      expect(Number.isFinite(m), where).toBe(true);
      expect(Number.isFinite(muEta[k]!) && muEta[k] !== 0, `${where}: mu.eta = ${muEta[k]}`).toBe(true);
      const valid = family.validMu(Float64Array.of(m));
      // A link whose range lies inside the mean space promises a valid mean for every eta.
      if (rangeInside) expect(valid, `${where}: the link's range is inside the mean space`).toBe(true);
      if (family.meanSpace && inside(m, family.meanSpace.lower, family.meanSpace.upper)) expect(valid, where).toBe(true);
      // Outside the mean space a fit halves its step (R's validmu); nothing else is evaluated there.
      if (!valid) continue;
      usable++;
      const v = family.variance(Float64Array.of(m))[0]!;
      expect(v > 0, `${where}: V = ${v}`).toBe(true);
      if (family.varianceAt) {
        family.varianceAt(m, at2);
        expect(at2[0], `${where}: varianceAt`).toBe(v);
      }
      const mus = new Float64Array(y.length).fill(m);
      const d = family.devResiduals(y, mus, wt);
      let dev = 0;
      for (let i = 0; i < y.length; i++) {
        // +Infinity is an honest overflow (a gaussian (y - 1e304)^2); NaN or a negative value is a bug.
        expect(d[i]! >= -1e-12 * Math.max(1, Math.abs(y[i]!)), `${where}, y = ${y[i]}: dev.resid ${d[i]}`).toBe(true);
        if (family.devResidualAt) expect(family.devResidualAt(y[i]!, m, wt[i]!), `${where}, y = ${y[i]}: devResidualAt`).toBe(d[i]);
        dev += d[i]!;
      }
      // +Infinity (a mean no data could come from) is an answer; NaN or -Infinity is not.
      const aic = family.aic(y, new Float64Array(y.length).fill(1), mus, wt, dev);
      expect(!Number.isNaN(aic) && aic > -Infinity, `${where}: aic ${aic}`).toBe(true);
    }
    expect(usable, 'some eta must give a valid mean').toBeGreaterThan(0);
  });
}
