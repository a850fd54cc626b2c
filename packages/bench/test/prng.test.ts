import { describe, expect, it } from 'vitest';
import { Xoshiro128, splitmix32 } from '../src/prng.js';

// Reference values from the C reference implementations (xoshiro128starstar.c by
// Blackman & Vigna; splitmix32 with the murmur3 finalizer), compiled and run separately.
describe('Xoshiro128', () => {
  it('matches the C reference from state (1, 2, 3, 4)', () => {
    const rng = new Xoshiro128(0, [1, 2, 3, 4]);
    expect([0, 1, 2, 3, 4].map(() => rng.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883]);
  });

  it('seeds through splitmix32 like the C reference', () => {
    const sm = splitmix32(42);
    expect([sm(), sm(), sm(), sm()]).toEqual([939911724, 3948730756, 321366731, 3317318717]);
    const rng = new Xoshiro128(42);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([2837322924, 544945897, 479756282]);
  });

  it('builds doubles in [0, 1) from two words', () => {
    const a = new Xoshiro128(0, [1, 2, 3, 4]);
    // (11520 >>> 5) * 2^26 + (0 >>> 6), over 2^53
    expect(a.nextDouble()).toBe((360 * 67108864) / 9007199254740992);
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const rng = new Xoshiro128(7);
    const n = 200_000;
    let s = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      s += z;
      ss += z * z;
    }
    const mean = s / n;
    // SE of the mean is 1/sqrt(n) = 0.0022; of the variance sqrt(2/n) = 0.0032.
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(ss / n - mean * mean - 1)).toBeLessThan(0.015);
  });

  it('draws Poisson counts with mean = variance = lambda', () => {
    const rng = new Xoshiro128(11);
    const n = 100_000;
    for (const lambda of [0.5, 4]) {
      let s = 0;
      let ss = 0;
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const k = rng.nextPoisson(lambda);
        if (!Number.isInteger(k) || k < 0) bad++;
        s += k;
        ss += k * k;
      }
      const mean = s / n;
      expect(bad).toBe(0);
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
      expect(Math.abs(ss / n - mean * mean - lambda) / lambda).toBeLessThan(0.03);
    }
    expect(rng.nextPoisson(0)).toBe(0);
  });
});
