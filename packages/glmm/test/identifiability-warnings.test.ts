import { describe, expect, it } from 'vitest';
import { fitGlmm } from '../src/index.js';

/** A deterministic generator, so each data set below is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const normal = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

function gaussianData(groups: number, perGroup: number, seed = 1) {
  const r = rng(seed);
  const y: number[] = [];
  const x: number[] = [];
  const g: string[] = [];
  for (let j = 0; j < groups; j++) {
    const u = normal(r);
    for (let i = 0; i < perGroup; i++) {
      const xi = normal(r);
      x.push(xi);
      g.push(`g${j}`);
      y.push(1 + 0.5 * xi + u + normal(r));
    }
  }
  return { y, x, g };
}

const codes = (r: { warnings: readonly { code: string }[] }) => r.warnings.map((w) => w.code);

describe('warnings for models the data cannot identify', () => {
  it('a Gaussian random intercept where every group has one row', () => {
    const r = fitGlmm({ formula: 'y ~ x + (1 | g)', data: gaussianData(40, 1) });
    expect(codes(r)).toContain('groups-of-size-one');
    const w = r.warnings.find((x) => x.code === 'groups-of-size-one')!;
    expect(w.message).toContain('"g"');
    expect(w.advice).toMatch(/coarser level|Drop/);
  });

  it('no such warning when groups have several rows', () => {
    const r = fitGlmm({ formula: 'y ~ x + (1 | g)', data: gaussianData(20, 5) });
    expect(codes(r)).not.toContain('groups-of-size-one');
    expect(codes(r)).not.toContain('few-groups');
    expect(codes(r)).not.toContain('more-random-effects-than-observations');
  });

  it('more random effects than observations: (1 + x | g) with two rows per group', () => {
    const r = fitGlmm({ formula: 'y ~ x + (1 + x | g)', data: gaussianData(30, 2) });
    expect(codes(r)).toContain('more-random-effects-than-observations');
  });

  it('few-groups for a factor with fewer than five levels', () => {
    const r = fitGlmm({ formula: 'y ~ x + (1 | g)', data: gaussianData(3, 20) });
    const w = r.warnings.find((x) => x.code === 'few-groups');
    expect(w?.message).toContain('3 levels');
  });

  it('a perfect fit', () => {
    const d = gaussianData(10, 6);
    const effect = new Map<string, number>();
    const y = d.x.map((xi, i) => {
      if (!effect.has(d.g[i]!)) effect.set(d.g[i]!, effect.size * 0.3);
      return 2 + 3 * xi + effect.get(d.g[i]!)!;
    });
    const r = fitGlmm({ formula: 'y ~ x + (1 | g)', data: { ...d, y } });
    expect(codes(r)).toContain('perfect-fit');
  });

  it('small clusters in a binomial model suggest AGQ where it applies', () => {
    const r = rng(3);
    const y: number[] = [];
    const g: string[] = [];
    for (let j = 0; j < 200; j++) {
      const u = 1.5 * normal(r);
      for (let i = 0; i < 2; i++) {
        y.push(r() < 1 / (1 + Math.exp(-u)) ? 1 : 0);
        g.push(`g${j}`);
      }
    }
    const res = fitGlmm({ formula: 'y ~ 1 + (1 | g)', data: { y, g }, family: 'binomial' });
    const w = res.warnings.find((x) => x.code === 'small-clusters');
    expect(w?.advice).toContain('--method agq');
    const agq = fitGlmm({ formula: 'y ~ 1 + (1 | g)', data: { y, g }, family: 'binomial', method: 'agq', options: { nAGQ: 9 } });
    expect(codes(agq)).not.toContain('small-clusters');
  });
});
