import { describe, expect, it } from 'vitest';
import { outputBuffer } from '@glmm/distributions';

describe('outputBuffer', () => {
  it('returns the caller buffer when it is long enough, else a fresh zeroed one', () => {
    const out = new Float64Array(5).fill(7);
    expect(outputBuffer(3, out)).toBe(out);
    const fresh = outputBuffer(4);
    expect(fresh).toBeInstanceOf(Float64Array);
    expect(Array.from(fresh)).toEqual([0, 0, 0, 0]);
  });

  it('refuses a buffer that is too short', () => {
    expect(() => outputBuffer(4, new Float64Array(3))).toThrow('output buffer holds 3 values, 4 needed');
  });
});
