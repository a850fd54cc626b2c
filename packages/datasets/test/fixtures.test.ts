import { describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture } from '@glmm/datasets';

describe('fixtures', () => {
  it('ships every lme4 reference with its data', () => {
    const names = fixtureNames();
    expect(names.length).toBeGreaterThanOrEqual(17);
    const f = loadFixture('dyestuff_reml');
    expect(f.reference.formula).toBe('Yield ~ 1 + (1 | Batch)');
    expect(f.reference.nobs).toBe(30);
  });
});
