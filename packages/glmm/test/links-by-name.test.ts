import { describe, expect, it } from 'vitest';
import { GlmmInputError } from '@glmm/core';
import { loadFamilyReference, type Reference } from '@glmm/datasets';
import { compareToReference, testLinksBundle } from '@glmm/testing';
import { createDefaultContainer, fitGlmm, readCsvFile } from '@glmm/glmm';

/*
 * Links asked for by name with built-in families, against lme4 fits of the same
 * models (packages/datasets/r/make-links-by-name-references.R): R's power(1/3) with a
 * Poisson GLMM, and a custom link ("softplus", registered by a host app, not
 * named by the Gamma family) with a Gamma GLMM.  Judged by the fixture tolerances.
 */
type LinkReference = Reference & { link_request: string };

function fitByName(name: string, container = createDefaultContainer(testLinksBundle)) {
  const { csvPath, reference } = loadFamilyReference<LinkReference>(name);
  const results = fitGlmm({
    formula: reference.formula,
    data: readCsvFile(csvPath),
    family: reference.family,
    link: reference.link_request,
    categorical: ['g'],
    container,
  });
  return { results, reference };
}

describe('links by name with built-in families', () => {
  it('fits a Poisson GLMM with power(1/3) as lme4 does with power(1/3)', () => {
    const { results, reference } = fitByName('poisson_power_third_laplace', createDefaultContainer());
    expect(results.link).toBe('mu^0.333');
    expect(compareToReference(results, reference)).toEqual([]);
  });

  it('fits a Gamma GLMM with a custom link the family does not name, by its declared domain', () => {
    const { results, reference } = fitByName('gamma_softplus_laplace');
    expect(results.link).toBe('softplus');
    expect(compareToReference(results, reference)).toEqual([]);
  });

  it('refuses a link that does not fit the family, naming both and the links it takes', () => {
    const data = readCsvFile(loadFamilyReference('poisson_power_third_laplace').csvPath);
    const fit = (family: string, link: string) => () => fitGlmm({ formula: 'y ~ x + (1 | g)', data, family, link, categorical: ['g'] });
    expect(fit('poisson', 'logit')).toThrow(GlmmInputError);
    expect(fit('poisson', 'logit')).toThrow(/^link "logit" cannot be used with the poisson family .*links for poisson: log, identity, sqrt/);
    expect(fit('gaussian', 'power(0.5)')).toThrow(/link "power\(0.5\)" cannot be used with the gaussian family/);
    expect(fit('negative_binomial', 'cloglog')).toThrow(/links for negative_binomial: log, sqrt, identity/);
    expect(fit('poisson', 'softplus')).toThrow(/unknown link "softplus"; loaded link plugins: /);
    expect(fit('poisson', 'power(zero)')).toThrow(/"zero" is not a number/);
  });
});
