import { describe, expect, it } from 'vitest';
import { loadFamilyReference } from '@glmm/datasets';
import { Xoshiro128 } from '@glmm/distributions';
import { fitModel, loadModel, readCsvFile, saveModel, type GlmmModel } from '@glmm/glmm';

/*
 * A model whose family has a parameter estimated by ML keeps the estimate:
 * its residuals (and simulations) are those of the family at that value, as
 * the fit's own diagnostics are, and the estimate survives a model file.
 */

interface Reference {
  formula: string;
  family: string;
  link: string;
  column_types: Record<string, 'numeric' | 'categorical'>;
}

function fitReference(name: string): GlmmModel {
  const { csvPath, reference: ref } = loadFamilyReference<Reference>(name);
  const categorical = Object.entries(ref.column_types)
    .filter(([, t]) => t === 'categorical')
    .map(([c]) => c);
  return fitModel({ formula: ref.formula, data: readCsvFile(csvPath), family: ref.family, link: ref.link, categorical });
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!)));
}

describe.each([
  ['nb_offset_laplace', 'shape'],
  ['ig_log', 'dispersion'],
])('%s: the model keeps its %s', (name, parameterName) => {
  const model = fitReference(name);
  const estimate = model.results.familyParameter!;

  it('as its estimate, the one the results report', () => {
    expect(estimate.name).toBe(parameterName);
    expect(model.estimates.familyParameter).toBe(estimate.estimate);
  });

  it("gives the fit's own residuals (the family at the estimate, on the unit scale for a dispersion)", () => {
    const d = model.results.diagnostics;
    expectClose(model.residuals({ type: 'pearson' }), d.pearsonResiduals, 1e-8, 'Pearson residuals');
    expectClose(model.residuals({ type: 'deviance' }), d.devianceResiduals, 1e-8, 'deviance residuals');
  });

  it('simulates from the family at the estimate: the draws of the family fixed there (dispersion 1), or of the plugin given phi', () => {
    const nsim = 3;
    const seed = 2024;
    const { responses } = model.simulate({ nsim, seed, conditional: true });
    const parameter = model.plugins.family.parameter!;
    // A shape changes the family; a dispersion is what the plugin's simulate is given, as for a moment estimate.
    const [family, dispersion] = parameter.isDispersion ? [model.plugins.family, estimate.estimate] : [parameter.at(estimate.estimate), 1];
    // simulateDesign's documented order: per simulation (conditional, so no new random effects) one draw per row.
    const random = new Xoshiro128(seed);
    const mu = model.fitted();
    const { weights } = model.problem().model;
    for (const y of responses) expect(Array.from(y)).toEqual(Array.from(family.simulate!(mu, weights, dispersion, random, new Float64Array(mu.length))));
  });

  it('through a model file, with the diagnostics rebuilt from it', () => {
    const loaded = loadModel(saveModel(model));
    expect(loaded.estimates.familyParameter).toBe(estimate.estimate);
    expect(loaded.results.familyParameter).toEqual(estimate);
    expectClose(loaded.results.diagnostics.pearsonResiduals, model.results.diagnostics.pearsonResiduals, 1e-8, 'rebuilt Pearson residuals');
    expectClose(loaded.results.diagnostics.devianceResiduals, model.results.diagnostics.devianceResiduals, 1e-8, 'rebuilt deviance residuals');
  });
});
