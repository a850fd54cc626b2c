import { describe, expect, it } from 'vitest';
import {
  createContainer,
  defineBundle,
  definePlugin,
  GlmmInputError,
  intervalWithin,
  isLinkAllowed,
  linkFitsFamily,
  linkStaysInMeanSpace,
  resolveLinkForFamily,
  type Family,
  type Link,
  type OpenInterval,
} from '@glmm/core';

const id = (x: Float64Array) => x;
function link(name: string, muDomain?: OpenInterval, muRange?: OpenInterval, withParameter?: (p: number) => Link): Link {
  return {
    name,
    linkfun: id,
    linkinv: id,
    muEta: id,
    validEta: () => true,
    ...(muDomain ? { muDomain } : {}),
    ...(muRange ? { muRange } : {}),
    ...(withParameter ? { withParameter } : {}),
  };
}
function family(name: string, allowedLinks: string[], meanSpace?: OpenInterval): Family {
  return {
    name,
    canonicalLink: allowedLinks[0]!,
    allowedLinks,
    ...(meanSpace ? { meanSpace } : {}),
    hasDispersion: false,
    variance: id,
    devResiduals: id,
    aic: () => 0,
    validMu: () => true,
    checkResponse: () => null,
    startingMu: id,
    latentResidualVariance: () => null,
  };
}

const LINE = { lower: -Infinity, upper: Infinity };
const POS = { lower: 0, upper: Infinity };
const UNIT = { lower: 0, upper: 1 };
const counts = family('counts', ['log', 'identity'], POS);
const logLike = link('mylog', POS, POS);
const identity = link('identity', LINE, LINE);
const unitLink = link('unitlink', UNIT, UNIT);
const inverseLike = link('inverse', POS, LINE);
const undeclared = link('opaque');
const scaled = link('scaled', POS, POS, (p) => {
  if (p <= 0) throw new RangeError(`scale must be positive, got ${p}`);
  return link(`scaled^${p}`, POS, POS);
});

describe('the capability rule for links and families', () => {
  it('pairs a link defined on the whole mean space that maps back into it', () => {
    expect(linkFitsFamily(counts, logLike)).toBe(true);
    expect(isLinkAllowed(counts, logLike)).toBe(true);
  });

  it('refuses a link whose domain does not cover the mean space, or whose range leaves it', () => {
    expect(linkFitsFamily(counts, unitLink)).toBe(false);
    expect(linkFitsFamily(counts, inverseLike)).toBe(false);
    expect(linkFitsFamily(family('binary', ['logit'], UNIT), logLike)).toBe(false);
  });

  it('keeps the links a family names, as R lists them, whatever their range', () => {
    expect(linkFitsFamily(counts, identity)).toBe(false);
    expect(isLinkAllowed(counts, identity)).toBe(true);
  });

  it('never pairs by capability when either side declares nothing', () => {
    expect(isLinkAllowed(counts, undeclared)).toBe(false);
    expect(linkFitsFamily(family('plain', ['log']), logLike)).toBe(false);
  });
});

describe('linkStaysInMeanSpace: the same interval test, the range side only', () => {
  it('holds where muRange lies inside the mean space, whatever the domain', () => {
    expect(linkStaysInMeanSpace(counts, logLike)).toBe(true);
    // A unit-range link keeps counts' means positive though it cannot link every mean.
    expect(linkStaysInMeanSpace(counts, unitLink)).toBe(true);
    expect(linkFitsFamily(counts, unitLink)).toBe(false);
    expect(linkStaysInMeanSpace(family('line', ['identity'], LINE), identity)).toBe(true);
  });

  it('fails where the range leaves the mean space or either side declares nothing', () => {
    expect(linkStaysInMeanSpace(counts, identity)).toBe(false);
    expect(linkStaysInMeanSpace(counts, inverseLike)).toBe(false);
    expect(linkStaysInMeanSpace(counts, undeclared)).toBe(false);
    expect(linkStaysInMeanSpace(family('plain', ['log']), logLike)).toBe(false);
  });

  it('compares open intervals, infinite ends included, and no empty interval lies inside another', () => {
    expect(intervalWithin(POS, POS)).toBe(true);
    expect(intervalWithin(UNIT, POS)).toBe(true);
    expect(intervalWithin(POS, UNIT)).toBe(false);
    expect(intervalWithin(LINE, POS)).toBe(false);
    expect(intervalWithin({ lower: 1, upper: 1 }, POS)).toBe(false);
  });
});

describe('resolveLinkForFamily', () => {
  const container = createContainer(
    defineBundle('test', [logLike, identity, unitLink, inverseLike, undeclared, scaled, link('log', POS, POS)].map((l) => definePlugin('link', l.name, l))),
  );

  it('gives the canonical link by default and a parametric link by name(value)', () => {
    expect(resolveLinkForFamily(container, counts).name).toBe('log');
    expect(resolveLinkForFamily(container, counts, 'MyLog')).toBe(logLike);
    expect(resolveLinkForFamily(container, counts, 'scaled(2.5)').name).toBe('scaled^2.5');
    expect(resolveLinkForFamily(container, counts, 'scaled(1/4)').name).toBe('scaled^0.25');
  });

  it('refuses a pair with one line naming the link, the family, its mean space and the links it accepts', () => {
    let message = '';
    try {
      resolveLinkForFamily(container, counts, 'unitlink');
    } catch (err) {
      expect(err).toBeInstanceOf(GlmmInputError);
      message = (err as Error).message;
    }
    expect(message).toBe(
      'link "unitlink" cannot be used with the counts family (means in (0, Infinity)): unitlink is defined on (0, 1) and maps onto (0, 1); ' +
        'links for counts: log, identity, mylog, scaled, scaled(p)',
    );
    expect(() => resolveLinkForFamily(container, counts, 'opaque')).toThrow(/opaque declares no mean domain; links for counts/);
  });

  it('turns a bad parameter into an input error', () => {
    expect(() => resolveLinkForFamily(container, counts, 'scaled(-1)')).toThrow(/link "scaled\(-1\)": scale must be positive, got -1/);
    expect(() => resolveLinkForFamily(container, counts, 'scaled(x)')).toThrow(GlmmInputError);
    expect(() => resolveLinkForFamily(container, counts, 'mylog(2)')).toThrow(/takes no parameter/);
    expect(() => resolveLinkForFamily(container, counts, 'nolink')).toThrow(/unknown link "nolink"/);
  });
});
