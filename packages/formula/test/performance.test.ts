import { describe, expect, it } from 'vitest';
import { buildModel, parseCsv } from '../src/index.js';

describe('performance on a million rows', () => {
  it('builds the model frame from typed columns within seconds', () => {
    const n = 1_000_000;
    const y = new Float64Array(n);
    const x = new Float64Array(n);
    const f = new Float64Array(n);
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = (i % 97) / 10;
      f[i] = i % 4;
      g[i] = i % 1000;
      y[i] = x[i]! + (i % 13);
    }
    const t0 = performance.now();
    const m = buildModel('y ~ x * f + (1 + x | g)', { y, x, f, g }, { categorical: ['f'] });
    const ms = performance.now() - t0;
    expect(m.n).toBe(n);
    expect(m.fixedNames).toEqual(['(Intercept)', 'x', 'f1', 'f2', 'f3', 'x:f1', 'x:f2', 'x:f3']);
    expect(m.terms[0]!.levels.length).toBe(1000);
    expect(m.terms[0]!.index[1234]).toBe(234);
    expect(ms).toBeLessThan(5000);
  });

  it('parses a million-row CSV', () => {
    const lines = ['y,x,g'];
    for (let i = 0; i < 1_000_000; i++) lines.push(`${i % 13}.5,${i % 97},"G${i % 1000}"`);
    const t0 = performance.now();
    const t = parseCsv(lines.join('\n'));
    const ms = performance.now() - t0;
    expect(t.nrows).toBe(1_000_000);
    expect(t.columns.y).toBeInstanceOf(Float64Array);
    expect((t.columns.x as Float64Array)[98]).toBe(1);
    expect(ms).toBeLessThan(15000);
  });
});
