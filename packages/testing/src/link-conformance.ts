import type { Link } from '@glmm/core';
import { describe, expect, it } from 'vitest';

export interface LinkConformanceOptions {
  /**
   * Interval of eta on which linkinv is invertible without clamping; the
   * round trip and derivative checks run on a grid over it.  Default [-5, 5],
   * cut to the points validEta accepts.
   */
  readonly etaRange?: readonly [number, number];
  /** Tolerance of |linkfun(linkinv(eta)) - eta| relative to max(1, |eta|). Default 1e-8. */
  readonly roundTripTolerance?: number;
  /** Relative tolerance of mu.eta against a central finite difference. Default 1e-6. */
  readonly derivativeTolerance?: number;
  /** Extreme eta values; those validEta rejects are skipped except by the muRange check. Default 0, ±30, ±700, ±1e3, ±1e30. */
  readonly extremeEta?: readonly number[];
  /** Eta arrays validEta must reject (e.g. [0] for the inverse link). NaN is always rejected. */
  readonly invalidEta?: readonly (readonly number[])[];
}

const GRID_POINTS = 81;

/** Distances from a finite end of a domain, and magnitudes on an infinite one, spanning 200 decades. */
const SPREAD = [1e-100, 1e-10, 1e-3, 0.2, 0.5, 1, 7, 1e3, 1e10, 1e100];

/** Means spread across an open interval, ends approached within 1e-100 (or 1e-10 of a unit-length end). */
function meansAcross(lower: number, upper: number): number[] {
  if (Number.isFinite(lower) && Number.isFinite(upper)) {
    const w = upper - lower;
    return [1e-100, 1e-10, 1e-3, 0.2, 0.5, 0.8, 1 - 1e-3, 1 - 1e-10].map((t) => lower + t * w);
  }
  if (Number.isFinite(lower)) return SPREAD.map((d) => lower + d);
  if (Number.isFinite(upper)) return SPREAD.map((d) => upper - d).reverse();
  return [-1e100, -1e3, -1, 0, 1, 1e3, 1e100];
}

function grid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

function one(f: (x: Float64Array, out?: Float64Array) => Float64Array, x: number): number {
  return f(Float64Array.of(x))[0]!;
}

/**
 * Registers the checks every Link must pass: invertibility, a derivative
 * that matches the inverse link, monotonicity, finite values at extreme eta,
 * and a domain check that rejects what it should.
 */
export function runLinkConformance(link: Link, options: LinkConformanceOptions = {}): void {
  const [lo, hi] = options.etaRange ?? [-5, 5];
  const roundTripTol = options.roundTripTolerance ?? 1e-8;
  const derivTol = options.derivativeTolerance ?? 1e-6;
  const extremes = options.extremeEta ?? [-1e30, -1e3, -700, -30, 0, 30, 700, 1e3, 1e30];
  const etaGrid = Float64Array.from(grid(lo, hi, GRID_POINTS).filter((e) => link.validEta(Float64Array.of(e))));

  describe(`link conformance: ${link.name}`, () => {
    it('has a usable grid of valid eta', () => {
      expect(etaGrid.length).toBeGreaterThan(GRID_POINTS / 3);
      expect(link.validEta(etaGrid)).toBe(true);
    });

    it('round-trips linkfun(linkinv(eta)) = eta', () => {
      const mu = link.linkinv(etaGrid);
      const back = link.linkfun(mu);
      for (let i = 0; i < etaGrid.length; i++) {
        const e = etaGrid[i]!;
        expect(Math.abs(back[i]! - e), `eta = ${e}`).toBeLessThanOrEqual(roundTripTol * Math.max(1, Math.abs(e)));
      }
    });

    it('writes into the out buffer when given one', () => {
      const out = new Float64Array(etaGrid.length);
      expect(link.linkinv(etaGrid, out)).toBe(out);
      expect(Array.from(out)).toEqual(Array.from(link.linkinv(etaGrid)));
      const out2 = new Float64Array(etaGrid.length);
      expect(link.muEta(etaGrid, out2)).toBe(out2);
      const out3 = new Float64Array(etaGrid.length);
      expect(link.linkfun(link.linkinv(etaGrid), out3)).toBe(out3);
    });

    it('has mu.eta equal to a central finite difference of linkinv', () => {
      const d = link.muEta(etaGrid);
      for (let i = 0; i < etaGrid.length; i++) {
        const e = etaGrid[i]!;
        const h = 1e-5 * Math.max(1, Math.abs(e));
        // Keep the difference inside the valid domain (sqrt near 0, for one).
        const left = link.validEta(Float64Array.of(e - h)) ? e - h : e;
        const right = link.validEta(Float64Array.of(e + h)) ? e + h : e;
        const fd = (one(link.linkinv, right) - one(link.linkinv, left)) / (right - left);
        expect(Math.abs(d[i]! - fd), `eta = ${e}: mu.eta ${d[i]} vs ${fd}`).toBeLessThanOrEqual(
          derivTol * Math.abs(d[i]!) + 1e-12,
        );
      }
    });

    it('has muEtaDerivative (if provided) equal to a central finite difference of mu.eta', (ctx) => {
      if (!link.muEtaDerivative) ctx.skip('this link does not provide muEtaDerivative');
      const d2 = link.muEtaDerivative!(etaGrid);
      expect(link.muEtaDerivative!(etaGrid, new Float64Array(etaGrid.length))).toEqual(d2);
      for (let i = 0; i < etaGrid.length; i++) {
        const e = etaGrid[i]!;
        const h = 1e-5 * Math.max(1, Math.abs(e));
        const left = link.validEta(Float64Array.of(e - h)) ? e - h : e;
        const right = link.validEta(Float64Array.of(e + h)) ? e + h : e;
        const fd = (one(link.muEta, right) - one(link.muEta, left)) / (right - left);
        expect(Math.abs(d2[i]! - fd), `eta = ${e}: muEtaDerivative ${d2[i]} vs ${fd}`).toBeLessThanOrEqual(
          derivTol * Math.max(Math.abs(d2[i]!), Math.abs(one(link.muEta, e))) + 1e-10,
        );
      }
    });

    it('has linkinvAndMuEta (if provided) equal to linkinv and muEta, extremes included', (ctx) => {
      if (!link.linkinvAndMuEta) ctx.skip('this link does not provide linkinvAndMuEta');
      const eta = Float64Array.from([...etaGrid, ...extremes.filter((e) => link.validEta(Float64Array.of(e)))]);
      const mu = new Float64Array(eta.length);
      const me = new Float64Array(eta.length);
      link.linkinvAndMuEta!(eta, mu, me);
      expect(Array.from(mu)).toEqual(Array.from(link.linkinv(eta)));
      expect(Array.from(me)).toEqual(Array.from(link.muEta(eta)));
    });

    it('has evaluateAt (if provided) equal to linkinv, muEta and muEtaDerivative, extremes included', (ctx) => {
      if (!link.evaluateAt) ctx.skip('this link does not provide evaluateAt');
      // Fused loops call it without a validity check (see Link.evaluateAt).
      expect(link.validEta(Float64Array.from(extremes)), 'a link with evaluateAt must accept every finite eta').toBe(true);
      const eta = Float64Array.from([...etaGrid, ...extremes]);
      const mu = link.linkinv(eta);
      const me = link.muEta(eta);
      const d2 = link.muEtaDerivative ? link.muEtaDerivative(eta) : null;
      expect(d2, 'a link with evaluateAt must also provide muEtaDerivative').not.toBeNull();
      const out = new Float64Array(3);
      for (let i = 0; i < eta.length; i++) {
        link.evaluateAt!(eta[i]!, out);
        expect([out[0], out[1], out[2]], `eta = ${eta[i]}`).toEqual([mu[i], me[i], d2![i]]);
      }
    });

    it('is strictly monotone, in the direction of the sign of mu.eta', () => {
      const mu = link.linkinv(etaGrid);
      const d = link.muEta(etaGrid);
      const direction = Math.sign(d[0]!);
      expect(direction).not.toBe(0);
      for (let i = 1; i < etaGrid.length; i++) {
        expect(Math.sign(mu[i]! - mu[i - 1]!), `between eta ${etaGrid[i - 1]} and ${etaGrid[i]}`).toBe(direction);
        expect(Math.sign(d[i]!)).toBe(direction);
      }
    });

    it('stays finite at extreme eta', () => {
      const eta = Float64Array.from(extremes.filter((e) => link.validEta(Float64Array.of(e))));
      expect(eta.length).toBeGreaterThan(0);
      const mu = link.linkinv(eta);
      const d = link.muEta(eta);
      for (let i = 0; i < eta.length; i++) {
        expect(Number.isFinite(mu[i]!), `linkinv(${eta[i]}) = ${mu[i]}`).toBe(true);
        expect(Number.isFinite(d[i]!) && d[i] !== 0, `mu.eta(${eta[i]}) = ${d[i]}`).toBe(true);
      }
    });

    it('keeps every finite linkinv inside its declared range (muRange), at any finite eta', (ctx) => {
      if (!link.muRange) ctx.skip('this link declares no muRange');
      const { lower: a, upper: b } = link.muRange!;
      // Fits skip the mean check on the strength of muRange without asking validEta,
      // so eta the link rejects count too; only an undefined mean (NaN, Infinity) is let through there.
      const eta = Float64Array.from([...grid(lo, hi, GRID_POINTS), ...extremes]);
      const mu = link.linkinv(eta);
      for (let i = 0; i < eta.length; i++) {
        const m = mu[i]!;
        if (!Number.isFinite(m) && !link.validEta(eta.subarray(i, i + 1))) continue;
        expect(m > a && m < b, `linkinv(${eta[i]}) = ${m} in (${a}, ${b})`).toBe(true);
      }
    });

    it('is defined and strictly monotone across its declared domain (muDomain)', (ctx) => {
      if (!link.muDomain) ctx.skip('this link declares no muDomain');
      const mu = Float64Array.from(meansAcross(link.muDomain!.lower, link.muDomain!.upper));
      const eta = link.linkfun(mu);
      for (let i = 0; i < mu.length; i++) {
        expect(Number.isFinite(eta[i]!) && link.validEta(eta.subarray(i, i + 1)), `linkfun(${mu[i]}) = ${eta[i]}`).toBe(true);
      }
      const direction = Math.sign(link.muEta(etaGrid)[0]!);
      for (let i = 1; i < mu.length; i++) {
        expect(Math.sign(eta[i]! - eta[i - 1]!), `linkfun between mu ${mu[i - 1]} and ${mu[i]}`).toBe(direction);
      }
    });

    it('validEta rejects what is outside the domain', () => {
      expect(link.validEta(Float64Array.of(0.5, NaN))).toBe(false);
      for (const bad of options.invalidEta ?? []) {
        expect(link.validEta(Float64Array.from(bad)), `eta = [${bad.join(', ')}]`).toBe(false);
      }
    });
  });
}
