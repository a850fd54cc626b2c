import { describe, expect, it } from 'vitest';
import { fixtureCsvText, fixtureNames, loadFixture } from '@glmm/datasets';
import { buildModel, parseCsv } from '../src/index.js';

describe('model frames of the lme4 reference fixtures', () => {
  const names = fixtureNames();
  it('finds the fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(17);
  });

  for (const name of names) {
    it(name, () => {
      const { reference: ref } = loadFixture(name);
      const categorical = Object.entries(ref.column_types)
        .filter(([, t]) => t === 'categorical')
        .map(([c]) => c);
      const m = buildModel(ref.formula, parseCsv(fixtureCsvText(name)), { categorical });

      expect(m.fixedNames).toEqual(ref.fixef.map((f) => f.name));
      expect(m.n).toBe(ref.nobs);
      expect(m.p).toBe(ref.fixef.length);
      expect(m.X.length).toBe(m.n * m.p);

      // ngroups: one entry per distinct grouping factor.
      const ngroups: Record<string, number> = {};
      for (const t of m.terms) ngroups[t.group] = t.levels.length;
      expect(ngroups).toEqual(ref.ngroups);

      // ranef (listed by grouping factor, not term order): the same (group, column) pairs and levels in order.
      const ranef = m.terms.flatMap((t) => t.columnNames.map((c) => ({ key: `${t.group} / ${c}`, levels: t.levels })));
      expect(ranef.map((r) => r.key).sort()).toEqual(ref.ranef.map((r) => `${r.group} / ${r.term}`).sort());
      for (const r of ref.ranef) expect(ranef.find((o) => o.key === `${r.group} / ${r.term}`)?.levels).toEqual(r.levels);

      // varcorr variances: groups in term order, a repeated group suffixed ".1" by lme4.
      const variances = ref.varcorr.filter((v) => v.group !== 'Residual' && v.var2 === null);
      const seen = new Map<string, number>();
      const ours = m.terms.flatMap((t) => {
        const k = seen.get(t.group) ?? 0;
        seen.set(t.group, k + 1);
        const g = k === 0 ? t.group : `${t.group}.${k}`;
        return t.columnNames.map((c) => [g, c]);
      });
      expect(ours).toEqual(variances.map((v) => [v.group, v.var1]));

      // Every term's index points into its levels; intercept columns are ones.
      for (const t of m.terms) {
        expect(t.index.length).toBe(m.n);
        let max = 0;
        for (const v of t.index) max = Math.max(max, v);
        expect(max).toBe(t.levels.length - 1);
        t.columnNames.forEach((c, j) => {
          if (c === '(Intercept)') expect(t.columns[j]?.every((v) => v === 1)).toBe(true);
        });
      }
    });
  }
});
