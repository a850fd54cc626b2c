import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossedSlopesFileName, ensureCrossedSlopesCsv, generateCrossedSlopes } from '../src/crossed-slopes.js';

describe('generateCrossedSlopes', () => {
  it('is fixed by its seed and spreads rows over every subject and item', () => {
    const spec = { n: 5000, subjects: 40, items: 20, seed: 7 };
    const a = generateCrossedSlopes(spec);
    const b = generateCrossedSlopes(spec);
    const c = generateCrossedSlopes({ ...spec, seed: 8 });
    expect(a.y).toEqual(b.y);
    expect(a.y).not.toEqual(c.y);
    expect(new Set(a.s).size).toBe(40);
    expect(new Set(a.it).size).toBe(20);
    // The fixed slope of x is recovered by least squares within the random-slope noise.
    let sxy = 0;
    let sxx = 0;
    for (let r = 0; r < spec.n; r++) {
      sxy += a.x[r]! * a.y[r]!;
      sxx += a.x[r]! * a.x[r]!;
    }
    expect(Math.abs(sxy / sxx - 0.5)).toBeLessThan(0.35);
  });

  it('writes its CSV once, under a name that carries every parameter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slopes-'));
    try {
      const spec = { n: 1234, subjects: 5, items: 4, seed: 2 };
      expect(crossedSlopesFileName(spec)).toBe('slopes-n1234-s5-i4-seed2.csv');
      const first = ensureCrossedSlopesCsv(spec, dir);
      expect(first.generated).toBe(true);
      const lines = readFileSync(first.path, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('y,x,s,it');
      expect(lines).toHaveLength(1235);
      expect(lines[1]).toMatch(/^-?[\d.]+,-?[\d.]+,s[1-5],i[1-4]$/);
      expect(ensureCrossedSlopesCsv(spec, dir).generated).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
