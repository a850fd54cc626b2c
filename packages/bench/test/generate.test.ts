import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { categoricalCells, type CategoricalColumn, parseCsv } from '@glmm/glmm';
import { ensureSyntheticCsv, generateSynthetic, groupLabel, SYNTHETIC_TRUTH, syntheticCsvChunk, syntheticFileName } from '../src/generate.js';

function slope(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

describe('generateSynthetic', () => {
  it('labels groups zero-padded to the width of the group count, round-robin', () => {
    expect(groupLabel(0, 1000)).toBe('g0001');
    expect(groupLabel(999, 1000)).toBe('g1000');
    expect(groupLabel(41, 10000)).toBe('g00042');
    const d = generateSynthetic({ family: 'gaussian', n: 2000, seed: 1 });
    expect(d.u.length).toBe(20);
    expect(d.g.slice(0, 3)).toEqual(['g01', 'g02', 'g03']);
    expect(d.g[20]).toBe('g01');
    const counts = new Map<string, number>();
    for (const g of d.g) counts.set(g, (counts.get(g) ?? 0) + 1);
    expect(counts.size).toBe(20);
    expect([...counts.values()].every((c) => c === 100)).toBe(true);
  });

  it('is deterministic in the seed', () => {
    const a = generateSynthetic({ family: 'poisson', n: 500, groups: 5, seed: 3 });
    const b = generateSynthetic({ family: 'poisson', n: 500, groups: 5, seed: 3 });
    const c = generateSynthetic({ family: 'poisson', n: 500, groups: 5, seed: 4 });
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.x1)).toEqual(Array.from(b.x1));
    expect(Array.from(a.x1)).not.toEqual(Array.from(c.x1));
  });

  it('recovers the Gaussian model: slopes 0.5 and -0.3, group SD 0.5', () => {
    const d = generateSynthetic({ family: 'gaussian', n: 200_000, seed: 5 });
    // x1 and x2 are independent of each other and of u, so the simple slopes estimate the coefficients (SE ~ 0.0027).
    expect(Math.abs(slope(d.x1, d.y) - SYNTHETIC_TRUTH.x1)).toBeLessThan(0.015);
    expect(Math.abs(slope(d.x2, d.y) - SYNTHETIC_TRUTH.x2)).toBeLessThan(0.015);
    const sdU = Math.sqrt(Array.from(d.u).reduce((s, v) => s + v * v, 0) / d.u.length);
    expect(Math.abs(sdU - 0.5)).toBeLessThan(0.05); // 2000 groups: SE of the SD ~ 0.008
    // Values carry at most six decimals, as written to the CSV.
    for (let i = 0; i < 100; i++) expect(Number(d.x1[i]!.toFixed(6))).toBe(d.x1[i]);
  });

  it('draws Bernoulli responses as 0/1 that rise with x1, and Poisson counts', () => {
    const b = generateSynthetic({ family: 'binomial', n: 50_000, seed: 6 });
    expect(Array.from(b.y).every((v) => v === 0 || v === 1)).toBe(true);
    expect(slope(b.x1, b.y)).toBeGreaterThan(0.05);
    expect(slope(b.x2, b.y)).toBeLessThan(-0.03);
    const p = generateSynthetic({ family: 'poisson', n: 50_000, seed: 6 });
    expect(Array.from(p.y).every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    // E[y] = exp(0.2 + (0.25 + 0.09 + 0.25) / 2) = exp(0.495) = 1.64 (lognormal mean of eta).
    const mean = Array.from(p.y).reduce((s, v) => s + v, 0) / p.y.length;
    expect(Math.abs(mean - Math.exp(0.495))).toBeLessThan(0.1);
  });

  it('draws Gamma responses (log link, shape 2) and probit Bernoulli responses', () => {
    const g = generateSynthetic({ family: 'gamma', link: 'log', n: 100_000, seed: 8 });
    expect(Array.from(g.y).every((v) => v > 0)).toBe(true);
    // E[y] = E[exp(eta)] = exp(0.495) as for the Poisson counts; Var(y | eta) = mu^2 / 2.
    const mean = Array.from(g.y).reduce((s, v) => s + v, 0) / g.y.length;
    expect(Math.abs(mean - Math.exp(0.495))).toBeLessThan(0.05);
    expect(Array.from(g.y).every((v) => Number(v.toPrecision(7)) === v)).toBe(true);
    const p = generateSynthetic({ family: 'binomial', link: 'probit', n: 100_000, seed: 8 });
    // P(y = 1) = E[Phi(eta)] = Phi(0.2 / sqrt(1 + 0.59)) = 0.563, up to the draw of 1000 group effects (SD about 0.007).
    const rate = Array.from(p.y).reduce((s, v) => s + v, 0) / p.y.length;
    expect(Math.abs(rate - 0.563)).toBeLessThan(0.02);
    expect(syntheticFileName({ family: 'binomial', link: 'probit', n: 100_000, seed: 601 })).toBe('binomial-probit-n100000-g1000-s601.csv');
    expect(syntheticFileName({ family: 'gamma', link: 'log', n: 100_000, seed: 501 })).toBe('gamma-n100000-g1000-s501.csv');
    expect(() => generateSynthetic({ family: 'poisson', link: 'probit', n: 100, seed: 1 })).toThrow(/not available/);
  });

  it('rejects impossible sizes', () => {
    expect(() => generateSynthetic({ family: 'gaussian', n: 10, groups: 11, seed: 1 })).toThrow(/groups/);
  });
});

describe('CSV output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a header then one line per row, numbers exactly as stored', () => {
    const d = generateSynthetic({ family: 'gaussian', n: 300, groups: 3, seed: 9 });
    const text = syntheticCsvChunk(d, 0, 2);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('y,x1,x2,g');
    expect(lines[1]).toBe(`${d.y[0]},${d.x1[0]},${d.x2[0]},g1`);
    expect(syntheticCsvChunk(d, 2, 3)).toBe(`${d.y[2]},${d.x1[2]},${d.x2[2]},g3\n`);
  });

  it('round-trips through parseCsv and is cached on the second call', () => {
    const spec = { family: 'binomial' as const, n: 25_000, groups: 250, seed: 12 };
    const first = ensureSyntheticCsv(spec, dir);
    expect(first.generated).toBe(true);
    expect(first.path).toBe(join(dir, syntheticFileName(spec)));
    expect(syntheticFileName(spec)).toBe('binomial-n25000-g250-s12.csv');
    const mtime = statSync(first.path).mtimeMs;
    const second = ensureSyntheticCsv(spec, dir);
    expect(second.generated).toBe(false);
    expect(statSync(second.path).mtimeMs).toBe(mtime);

    const table = parseCsv(readFileSync(first.path, 'utf8'));
    const d = generateSynthetic(spec);
    expect(table.nrows).toBe(25_000);
    expect(table.names).toEqual(['y', 'x1', 'x2', 'g']);
    expect(Array.from(table.columns.x1 as Float64Array)).toEqual(Array.from(d.x1));
    expect(Array.from(table.columns.y as Float64Array)).toEqual(Array.from(d.y));
    expect(categoricalCells(table.columns.g as CategoricalColumn)).toEqual(d.g);
  });
});
