import { describe, expect, it } from 'vitest';
import { assertJsonSafe, buildResults, nonFinitePaths } from '../src/index.js';
import { firstNonFinite } from '../src/json-safety.js';
import { gaussianLike, handFit, handModel } from './hand-fit.js';

const meta = { formula: 'y ~ x + (1 + x | g) + (1 | h)', family: gaussianLike(), link: 'identity', fitSeconds: 0 };

describe('firstNonFinite', () => {
  it('finds the first NaN or infinity wherever it is, including the tail after the last block of four', () => {
    for (const n of [0, 1, 3, 4, 7, 8, 1001]) {
      const col = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e300);
      expect(firstNonFinite(col)).toBe(-1);
      for (const bad of [NaN, Infinity, -Infinity])
        for (const at of [0, n >> 1, n - 1]) {
          if (n === 0) continue;
          const c = Float64Array.from(col);
          c[at] = bad;
          if (at + 1 < n) c[n - 1] = bad; // a later one must not be reported first
          expect(firstNonFinite(c), `n = ${n}, ${bad} at ${at}`).toBe(at);
        }
    }
  });

  it('treats the largest doubles and -0 as finite', () => {
    expect(firstNonFinite(Float64Array.of(Number.MAX_VALUE, -Number.MAX_VALUE, -0, Number.MIN_VALUE))).toBe(-1);
  });
});

describe('assertJsonSafe', () => {
  it('names the path of the first offending number, as nonFinitePaths does', () => {
    const value = { a: 1, b: [1, { c: 'x', d: [2, -Infinity] }, NaN], e: { f: null, g: Infinity } };
    expect(() => assertJsonSafe(value)).toThrow('results.b[1].d[1] is -Infinity, which JSON cannot represent');
    expect(nonFinitePaths(value)[0]).toBe('results.b[1].d[1] is -Infinity');
    expect(() => assertJsonSafe({ top: [NaN] }, 'x')).toThrow('x.top[0] is NaN, which JSON cannot represent');
    expect(() => assertJsonSafe(Infinity)).toThrow('results is Infinity, which JSON cannot represent');
  });

  it('accepts finite values of every shape', () => {
    expect(() => assertJsonSafe({ a: [1, -0, 1e308, { b: 'NaN', c: null, d: true, e: [] }], f: undefined })).not.toThrow();
  });
});

describe('buildResults on shared per-row arrays', () => {
  it('checks an array shared by several columns once and names its first column', () => {
    const eta = Float64Array.of(1.5, 1.9, NaN, 2.6, 2.2, 1.8);
    const fit = handFit({ eta, fitted: eta });
    expect(() => buildResults(fit, handModel(), meta)).toThrow('results.diagnostics.fitted[2] is NaN, which JSON cannot represent');
    const resid = Float64Array.of(-0.5, 0.1, 0.7, -0.6, 0.8, Infinity);
    const shared = handFit({ residResponse: resid, residDeviance: resid, residPearson: resid });
    expect(() => buildResults(shared, handModel(), meta)).toThrow(
      'results.diagnostics.responseResiduals[5] is Infinity, which JSON cannot represent',
    );
  });

  it('still checks a column that is not shared after a shared one passed', () => {
    const resid = Float64Array.of(-0.5, 0.1, 0.7, -0.6, 0.8, 2.2);
    const fit = handFit({ residResponse: resid, residDeviance: resid, residPearson: Float64Array.of(0, 0, 0, -Infinity, 0, 0) });
    expect(() => buildResults(fit, handModel(), meta)).toThrow('results.diagnostics.pearsonResiduals[3] is -Infinity');
  });

  it('accepts finite shared arrays and serialises each column', () => {
    const eta = Float64Array.of(1.5, 1.9, 2.3, 2.6, 2.2, 1.8);
    const r = buildResults(handFit({ eta, fitted: eta }), handModel(), meta);
    expect(r.diagnostics.fitted).toEqual(r.diagnostics.linearPredictor);
  });
});
