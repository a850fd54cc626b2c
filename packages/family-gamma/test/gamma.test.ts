import { describe, expect, it } from 'vitest';
import { createContainer, resolvePlugin } from '@glmm/core';
import { loadFamilyValues } from '@glmm/datasets';
import { runFamilyConformance } from '@glmm/testing';
import { familyGammaBundle, gammaFamily } from '@glmm/family-gamma';

const gammaMl = loadFamilyValues().gamma_ml;

// Expected values: R 4.2.2, Gamma()$dev.resids and Gamma()$aic, printed with %.17g.
// By hand: y = 0.8, mu = 1 gives -2 (log 0.8 + 0.2) = 0.046287102628419508.
runFamilyConformance(gammaFamily, {
  validY: [0.01, 0.8, 2.5, 40],
  invalidY: [{ y: [1, 0] }, { y: [1, -3] }, { y: [NaN] }],
  validMu: [0.05, 1, 7.5],
  invalidMu: [[1, 0], [-1], [NaN]],
  variance: { mu: [0.5, 3], expected: [0.25, 9] },
  startingMu: [0.01, 0.8, 2.5, 40],
  knownValues: [
    {
      label: 'weighted',
      y: [0.8, 2.5, 1.1, 4.2, 0.3],
      mu: [1.0, 2.0, 1.5, 3.0, 0.6],
      wt: [1, 1, 2, 1, 1],
      devResiduals: [0.046287102628419508, 0.05371289737158047, 0.17395304654869137, 0.12705552675757414, 0.38629436111989057],
      deviance: 0.78730293442615606,
      aic: 9.2027532276710247,
    },
    {
      // Small dispersion (shape about 2660): where lgamma-based densities lose digits.
      label: 'small dispersion',
      y: [10.2, 9.7, 10.1, 10.4],
      mu: [10, 10, 10.2, 10.3],
      deviance: 0.0015035640305072449,
      aic: 0.30462321151454042,
      tolerance: 1e-9,
    },
  ],
  latentVariance: [
    { link: 'log', context: { dispersion: 0.3, meanEta: 1, randomVariance: 0.2 }, value: 0.26236426446749106 },
    { link: 'inverse', context: { dispersion: 0.3, meanEta: 1, randomVariance: 0.2 }, value: null },
  ],
  // The dispersion by ML (--dispersion ml): at(phi) against R's dev.resids / phi and
  // -2 sum(wt log dgamma(y, shape = 1/phi, scale = mu phi)), make-family-values.R.
  parameter: {
    values: gammaMl.map((g) => g.dispersion),
    invalidValues: [0, -1, NaN, Infinity],
    knownValues: gammaMl.map((g) => ({
      at: g.dispersion,
      label: `dgamma at dispersion ${g.dispersion}`,
      y: g.y,
      mu: g.mu,
      wt: g.wt,
      devResiduals: g.dev_resids,
      deviance: g.deviance,
      aic: g.minus2loglik,
    })),
    variance: gammaMl.map((g) => ({ at: g.dispersion, mu: g.mu, expected: g.variance })),
    // ln(1 + phi) at the fixed phi, whatever dispersion the context carries.
    latentVariance: [{ at: 0.3, link: 'log', context: { dispersion: 7, meanEta: 1, randomVariance: 0.2 }, value: 0.26236426446749106 }],
  },
});

describe('gamma family', () => {
  it('is registered by its bundle and estimates a dispersion', () => {
    expect(resolvePlugin(createContainer(familyGammaBundle), 'family', 'gamma')).toBe(gammaFamily);
    expect(gammaFamily.hasDispersion).toBe(true);
  });

  it('gives a one-line reason with the offending row count', () => {
    expect(gammaFamily.checkResponse(Float64Array.of(1, 0, -1), new Float64Array(3).fill(1))).toBe(
      'values must be positive (the Gamma family needs y > 0); 2 of 3 rows are not',
    );
  });
});
