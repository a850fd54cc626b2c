import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { MixedSystem, RandomEffectsStructure, scalarTermSums } from '@glmm/engine';
import { allOnes } from '../src/scalar-term-rows.js';
import { scalarModel } from './structured-model.js';

const structureOf = (model: ModelMatrices) => new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));

/**
 * The same model with the random intercept's column and the unit weights one
 * shared array of ones, as model frames build them: that takes the unit kernel.
 */
function sharedOnes(model: ModelMatrices): ModelMatrices {
  const ones = new Float64Array(model.n).fill(1);
  const term = model.terms[0]!;
  return { ...model, weights: ones, trials: ones, terms: [{ ...term, columns: [ones] }] };
}

describe('scalarTermSums', () => {
  it('gives the same sums to the bit whether the unit kernel or the weighted one runs', () => {
    for (let p = 0; p <= 4; p++)
      for (const offset of [false, true]) {
        const general = scalarModel({ seed: 60 + p, p, offset, n: 9000, levels: 37 });
        const unit = sharedOnes(general);
        const a = scalarTermSums(structureOf(general), general.weights, general.y, general.offset);
        const b = scalarTermSums(structureOf(unit), unit.weights, unit.y, unit.offset);
        expect(Array.from(b.perLevel), `p=${p}`).toEqual(Array.from(a.perLevel));
        expect(Array.from(b.xx), `p=${p}`).toEqual(Array.from(a.xx));
        expect([b.logDetW, b.unitWeights]).toEqual([0, true]);
        expect([a.logDetW, a.unitWeights]).toEqual([0, true]);
      }
  });

  it('equals the sums the block system gathers', () => {
    for (const model of [scalarModel({ seed: 70, p: 3, weighted: true, offset: true }), sharedOnes(scalarModel({ seed: 71, p: 2 }))]) {
      const re = structureOf(model);
      const sums = scalarTermSums(re, model.weights, model.y, model.offset);
      const system = new MixedSystem(re, true);
      const products = system.accumulateWithResponse(model.weights, model.y, model.offset);
      const p = model.p;
      const { diagOffset } = system.pattern;
      for (let j = 0; j < re.q; j++) {
        expect(sums.perLevel[j * sums.stride]).toBe(system.A[diagOffset[j]!]);
        expect(sums.perLevel[j * sums.stride + p + 1]).toBe(products.zty[j]);
      }
      for (let a = 0; a < p; a++) expect(sums.xx[a * (p + 1) + p]).toBe(products.xty[a]);
      expect(sums.xx[p * (p + 1) + p]).toBe(products.yty);
      expect(sums.logDetW).toBe(products.logDetW);
      expect(sums.unitWeights).toBe(products.unitWeights);
    }
  });

  it('wants exactly one scalar term', () => {
    const model = scalarModel({ seed: 72, p: 1 });
    const twice = { ...model, terms: [model.terms[0]!, { ...model.terms[0]!, group: 'h' }] };
    expect(() => scalarTermSums(structureOf(twice), model.weights, model.y, model.offset)).toThrow('exactly one scalar random-effects term');
  });
});

describe('allOnes', () => {
  it('is true only when every element is exactly 1', () => {
    for (const n of [0, 1, 3, 4, 5, 8, 1001]) expect(allOnes(new Float64Array(n).fill(1)), `n=${n}`).toBe(true);
    for (const bad of [1 + Number.EPSILON, 1 - Number.EPSILON / 2, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e300])
      for (const at of [0, 2, 3, 6]) {
        const v = new Float64Array(7).fill(1);
        v[at] = bad;
        expect(allOnes(v), `${bad} at ${at}`).toBe(false);
      }
  });
});
