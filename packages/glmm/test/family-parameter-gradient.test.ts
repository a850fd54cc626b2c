import { describe, expect, it } from 'vitest';
import { loadExtraFixture, loadFamilyReference, loadFixture } from '@glmm/datasets';
import { createModelDeviance, readCsvFile, type FitRequest } from '@glmm/glmm';

/*
 * The exact gradient of the Laplace deviance in (theta, beta, log family
 * parameter) where a family parameter is fitted by ML with the observed
 * information (#13): against central differences of the deviance itself, at
 * a point off the start in every coordinate, for each kind of random-effects
 * structure (one scalar term, crossed scalar terms, correlated slopes), the
 * NB shape and the inverse Gaussian, Gamma and gaussian dispersions, and
 * canonical and non-canonical links.
 */

function referenceRequest(name: string): FitRequest {
  const { csvPath, reference } = loadFamilyReference<{ formula: string; family: string; link: string; column_types: Record<string, string> }>(name);
  const categorical = Object.entries(reference.column_types)
    .filter(([, t]) => t === 'categorical')
    .map(([c]) => c);
  return { formula: reference.formula, data: readCsvFile(csvPath), family: reference.family, link: reference.link, categorical };
}

function mlDispersionRequest(fixture: ReturnType<typeof loadFixture>): FitRequest {
  const ref = fixture.reference;
  const categorical = Object.entries(ref.column_types)
    .filter(([, t]) => t === 'categorical')
    .map(([c]) => c);
  return { formula: ref.formula, data: readCsvFile(fixture.csvPath), family: ref.family, link: ref.link, categorical, options: { dispersion: 'ml' } };
}

const cases: [string, () => FitRequest][] = [
  ['NB, one scalar term with an offset', () => referenceRequest('nb_offset_laplace')],
  ['NB, crossed scalar terms', () => referenceRequest('nb_crossed_laplace')],
  ['NB, correlated random slopes', () => referenceRequest('nb_slopes_laplace')],
  ['inverse Gaussian, canonical 1/mu^2 link', () => referenceRequest('ig_canonical')],
  ['inverse Gaussian, log link', () => referenceRequest('ig_log')],
  ['Gamma with ML dispersion, log link', () => mlDispersionRequest(loadFixture('gamma_log_laplace'))],
  ['Gamma with ML dispersion, crossed terms', () => mlDispersionRequest(loadExtraFixture('gamma_crossed_reps_laplace'))],
  ['gaussian with ML dispersion, log link', () => mlDispersionRequest(loadExtraFixture('gaussian_log_laplace'))],
];

describe('the Laplace deviance with a family parameter has an exact gradient', () => {
  for (const [label, request] of cases) {
    it(label, () => {
      const { deviance } = createModelDeviance({ ...request(), method: 'laplace' });
      expect(deviance.layout.nFamily).toBe(1);
      expect(deviance.gradient, 'a gradient is offered').toBeDefined();
      const start = deviance.start();
      // Off the start in every coordinate, so that no derivative is zero by symmetry.
      const x = Float64Array.from(start, (v, i) => v + 0.05 * Math.sin(i + 1));
      const g = new Float64Array(x.length);
      deviance.gradient!(x, g);
      for (let i = 0; i < x.length; i++) {
        const h = 1e-5 * Math.max(1, Math.abs(x[i]!));
        const up = Float64Array.from(x);
        const down = Float64Array.from(x);
        up[i]! += h;
        down[i]! -= h;
        const fd = (deviance.value(up) - deviance.value(down)) / (2 * h);
        expect(Math.abs(g[i]! - fd), `${deviance.layout.names[i]}: ${g[i]} vs ${fd}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
      }
    });
  }
});
