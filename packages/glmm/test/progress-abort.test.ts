import { describe, expect, it } from 'vitest';
import { FitAbortedError, type FitProgress } from '@glmm/core';
import { loadExtraFixture, loadFixture } from '@glmm/datasets';
import { fitGlmm, readCsvFile, type FitRequest } from '@glmm/glmm';

const requests: [string, FitRequest][] = [
  ['REML, bobyqa', { formula: 'Reaction ~ Days + (Days | Subject)', data: readCsvFile(loadFixture('sleepstudy_slopes_reml').csvPath), categorical: ['Subject'] }],
  [
    'Laplace, Newton (grouped kernel)',
    {
      formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
      data: readCsvFile(loadFixture('cbpp_binomial_laplace').csvPath),
      family: 'binomial',
      categorical: ['herd', 'period'],
    },
  ],
  [
    'Laplace, quasi-Newton (crossed)',
    { formula: 'y ~ x + (1 | subj) + (1 | item)', data: readCsvFile(loadExtraFixture('binary_crossed_laplace').csvPath), family: 'binomial', categorical: ['subj', 'item'] },
  ],
  ['AGQ, bobyqa', { formula: 'y ~ x + (1 | g)', data: readCsvFile(loadExtraFixture('poisson_agq9').csvPath), family: 'poisson', method: 'agq', categorical: ['g'], options: { nAGQ: 9 } }],
];

describe('progress (FitRequest.onProgress)', () => {
  for (const [label, request] of requests) {
    it(`${label}: model frame, start, numbered iterations with their deviance, finalise`, () => {
      const events: FitProgress[] = [];
      const results = fitGlmm({ ...request, onProgress: (p) => events.push(p) });
      const stages = events.map((e) => e.stage);
      expect(stages[0]).toBe('model-frame');
      expect(stages.indexOf('start')).toBeGreaterThan(0);
      expect(stages[stages.length - 1]).toBe('finalise');
      const iterations = events.filter((e) => e.stage === 'iteration');
      expect(iterations.length).toBeGreaterThan(0);
      iterations.forEach((e, i) => {
        expect(e.iteration).toBe(i + 1);
        expect(Number.isFinite(e.deviance)).toBe(true);
        if (i > 0) expect(e.evaluations!).toBeGreaterThanOrEqual(iterations[i - 1]!.evaluations!);
      });
      expect(events.find((e) => e.stage === 'model-frame' && e.rowsScanned !== undefined)?.rowsScanned).toBe(results.nobs);
      // Each search reports the best deviance it has: the last is the optimum's (REML criterion or -2 logLik).
      const optimum = results.fit.remlCriterion ?? -2 * results.fit.logLik;
      expect(Math.min(...iterations.map((e) => e.deviance!))).toBeGreaterThanOrEqual(optimum - 1e-6 * Math.abs(optimum));
    });
  }
});

describe('cancellation (FitRequest.signal)', () => {
  for (const [label, request] of requests) {
    it(`${label}: aborting during the search throws FitAbortedError at the next evaluation`, () => {
      const controller = new AbortController();
      let after = 0;
      let error: unknown = null;
      try {
        fitGlmm({
          ...request,
          signal: controller.signal,
          onProgress: (p) => {
            if (controller.signal.aborted) after++;
            if (p.stage === 'iteration' && p.iteration === 1) controller.abort(new Error('user pressed stop'));
          },
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FitAbortedError);
      expect((error as Error).message).toBe('fit aborted: user pressed stop');
      // Nothing more was reported: the next evaluation threw.
      expect(after).toBe(0);
    });
  }
});

describe('cancellation before the fit', () => {
  it('a signal that has already fired stops the fit before the model frame is built', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => fitGlmm({ ...requests[0]![1], signal: controller.signal })).toThrow(FitAbortedError);
  });
});
