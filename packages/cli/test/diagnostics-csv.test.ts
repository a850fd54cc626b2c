import { describe, expect, it } from 'vitest';
import type { Diagnostics } from '@glmm/core';
import { diagnosticsCsv, randomEffectColumnName } from '../src/diagnostics-csv.js';

describe('randomEffectColumnName', () => {
  it('builds re_<group>_<term> from "group|term" with only identifier characters', () => {
    expect(randomEffectColumnName('Subject|(Intercept)')).toBe('re_Subject_Intercept');
    expect(randomEffectColumnName('Subject|Days')).toBe('re_Subject_Days');
    expect(randomEffectColumnName('cask:batch|(Intercept)')).toBe('re_cask_batch_Intercept');
    expect(randomEffectColumnName('herd')).toBe('re_herd');
  });
});

describe('diagnosticsCsv', () => {
  it('writes one line per row, the random-effect columns and the group_random_effect alias', () => {
    const d: Diagnostics = {
      row: [1, 3],
      fitted: [0.25, 1.5],
      linearPredictor: [-1.0986122886681098, 0.4054651081081644],
      responseResiduals: [0.75, -0.5],
      devianceResiduals: [1, -2],
      pearsonResiduals: [1.7320508075688772, NaN],
      randomEffects: { 'Subject|(Intercept)': [2, -3], 'Subject|Days': [0.5, Infinity] },
    };
    expect(diagnosticsCsv(d)).toBe(
      'row,fitted,linear_predictor,response_residual,deviance_residual,pearson_residual,' +
        're_Subject_Intercept,re_Subject_Days,group_random_effect\n' +
        '1,0.25,-1.0986122886681098,0.75,1,1.7320508075688772,2,0.5,2\n' +
        '3,1.5,0.4054651081081644,-0.5,-2,NA,-3,Inf,-3\n',
    );
  });

  it('leaves out the alias when the first term has no intercept', () => {
    const d: Diagnostics = {
      row: [1],
      fitted: [1],
      linearPredictor: [1],
      responseResiduals: [0],
      devianceResiduals: [0],
      pearsonResiduals: [0],
      randomEffects: { 'g|x': [0.1] },
    };
    expect(diagnosticsCsv(d)).toBe(
      'row,fitted,linear_predictor,response_residual,deviance_residual,pearson_residual,re_g_x\n1,1,1,0,0,0,0.1\n',
    );
  });

  it('writes only the header for zero rows', () => {
    const d: Diagnostics = {
      row: [],
      fitted: [],
      linearPredictor: [],
      responseResiduals: [],
      devianceResiduals: [],
      pearsonResiduals: [],
      randomEffects: {},
    };
    expect(diagnosticsCsv(d)).toBe('row,fitted,linear_predictor,response_residual,deviance_residual,pearson_residual\n');
  });
});
