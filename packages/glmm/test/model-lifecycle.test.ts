import { describe, expect, it } from 'vitest';
import { examples } from '@glmm/datasets';
import { fitModel, GlmmInputError, loadModel, ModelDataRequiredError, readCsvFile, saveModel } from '@glmm/glmm';
import { validateResults } from '@glmm/report';

const sleep = readCsvFile(examples.sleepstudy.csvPath);
const cbpp = readCsvFile(examples.cbpp.csvPath);
const fitSleep = () => fitModel({ formula: 'Reaction ~ Days + (Days | Subject)', data: sleep });
const fitCbpp = () =>
  fitModel({ formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', data: cbpp, family: 'binomial', categorical: ['herd', 'period'] });
const newRows = [
  { Days: 0, Subject: 308 },
  { Days: 4.5, Subject: 999 },
  { Days: 8, Subject: 335 },
];

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('save and load', () => {
  it('gives back a model that predicts, simulates, refits and has the diagnostics of the original, from the file alone', () => {
    const model = fitSleep();
    const text = saveModel(model);
    const loaded = loadModel(text);
    expect(loaded.hasData).toBe(true);
    expect(loaded.hasDesign).toBe(true);
    expect(Array.from(loaded.residuals({ type: 'pearson' }))).toEqual(Array.from(model.residuals({ type: 'pearson' })));
    expect(validateResults(loaded.results).valid).toBe(true);
    expect(loaded.problem().model.y).toEqual(model.problem().model.y);
    expect(loaded.summary).toEqual(model.summary);
    for (const conditional of [true, false]) {
      const a = model.predict({ data: newRows, conditional, se: true, interval: 'prediction' });
      const b = loaded.predict({ data: newRows, conditional, se: true, interval: 'prediction' });
      expect(Array.from(b.fit)).toEqual(Array.from(a.fit));
      expect(Array.from(b.se!)).toEqual(Array.from(a.se!));
      expect(Array.from(b.interval!.upper)).toEqual(Array.from(a.interval!.upper));
    }
    // The fitted rows' design comes back from the file: fitted values and simulations agree to the bit.
    expect(Array.from(loaded.fitted())).toEqual(Array.from(model.fitted()));
    const sa = model.simulate({ nsim: 2, seed: 5 });
    const sb = loaded.simulate({ nsim: 2, seed: 5 });
    expect(Array.from(sb.responses[1]!)).toEqual(Array.from(sa.responses[1]!));
    const refit = loaded.refit(sa.responses[0]!);
    expect(Array.from(refit.beta)).toEqual(Array.from(model.refit(sa.responses[0]!).beta));
  });

  it('saved without its rows, says what needs the data, and works with it', () => {
    const model = fitSleep();
    const loaded = loadModel(saveModel(model, { data: false }));
    const e = thrown(() => loaded.residuals());
    expect(e).toBeInstanceOf(ModelDataRequiredError);
    expect(e.message).toMatch(/residuals needs the data the model was fitted to, which this model does not hold .*loadModel\(json, \{ data \}\) \(CLI: --data FILE.csv\)/);
    expect(() => loaded.results).toThrow(ModelDataRequiredError);
    expect(() => loaded.problem()).toThrow(ModelDataRequiredError);
    const withData = loadModel(saveModel(model, { data: false }), { data: sleep });
    expect(withData.hasData).toBe(true);
    expect(Array.from(withData.residuals())).toEqual(Array.from(model.residuals()));
    const r = withData.results;
    expect(validateResults(r)).toEqual({ valid: true, errors: [] });
    r.diagnostics.fitted.forEach((f, i) => expect(f).toBeCloseTo(model.results.diagnostics.fitted[i]!, 9));
    expect(withData.problem().model.n).toBe(180);
  });

  it('without its rows, simulate and refit need the data too', () => {
    const loaded = loadModel(saveModel(fitSleep(), { data: false }));
    expect(loaded.hasDesign).toBe(false);
    expect(loaded.predict({ data: newRows }).fit.length).toBe(3);
    expect(thrown(() => loaded.simulate({ seed: 1 })).message).toMatch(/simulate needs the rows the model was fitted to/);
    expect(() => loaded.refit(new Float64Array(180))).toThrow(ModelDataRequiredError);
  });

  it('refuses data that are not those of the fit', () => {
    const changed = { ...sleep, columns: { ...sleep.columns, Reaction: (sleep.columns.Reaction as Float64Array).map((v) => v + 1) } };
    expect(thrown(() => loadModel(saveModel(fitSleep()), { data: changed })).message).toMatch(
      /the data given do not match the data the model was fitted to: the response "Reaction" differs/,
    );
  });

  it('checks the file against its schema and version', () => {
    const file = JSON.parse(saveModel(fitSleep())) as Record<string, unknown>;
    expect(thrown(() => loadModel('{ not json')).message).toMatch(/model file is not valid JSON/);
    expect(thrown(() => loadModel({ ...file, format: 'other' })).message).toMatch(/not a glmm model file/);
    expect(thrown(() => loadModel({ ...file, version: 2 })).message).toMatch(/model file version 2 is not supported/);
    const { estimates: _e, ...noEstimates } = file;
    void _e;
    const e = thrown(() => loadModel(noEstimates));
    expect(e).toBeInstanceOf(GlmmInputError);
    expect(e.message).toMatch(/does not match its schema: .*estimates/);
    const badSummary = { ...file, summary: { ...(file.summary as object), nobs: -1 } };
    expect(thrown(() => loadModel(badSummary)).message).toMatch(/summary does not match the results schema: \/summary\/nobs/);
  });

  it('keeps a GLMM with categorical predictors, effects coding and excluded rows', () => {
    const model = fitModel({
      formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
      data: cbpp,
      family: 'binomial',
      categorical: ['herd', 'period'],
      coding: { period: 'effects' },
      exclude: [2, 40],
    });
    const loaded = loadModel(saveModel(model), { data: cbpp });
    const rows = [{ herd: 3, period: 4 }, { herd: 77, period: 1 }];
    expect(Array.from(loaded.predict({ data: rows }).fit)).toEqual(Array.from(model.predict({ data: rows }).fit));
    expect(loaded.summary.excluded.byReason).toEqual({ 'excluded by request': 2 });
    expect(validateResults(loaded.results).valid).toBe(true);
  });
});

describe('predict on new data', () => {
  it('refuses a level of a categorical predictor that the fit did not see, naming column and level', () => {
    const e = thrown(() => fitCbpp().predict({ data: [{ herd: 1, period: 5 }] }));
    expect(e).toBeInstanceOf(GlmmInputError);
    expect(e.message).toMatch(/column "period" has level "5" at row 1 of the new data, which the model was not fitted with \(levels: 1, 2, 3, 4\)/);
  });

  it('reports rows it cannot predict, and needs no grouping column for marginal predictions', () => {
    const model = fitSleep();
    const p = model.predict({ data: { Days: [1, Number.NaN, 3] }, conditional: false });
    expect(Array.from(p.rows)).toEqual([0, 2]);
    expect(p.excluded.rows).toEqual([{ row: 2, column: 'Days', reason: 'missing' }]);
    expect(thrown(() => model.predict({ data: { Days: [1] } })).message).toMatch(/unknown column "Subject" in the grouping factor Subject/);
  });

  it('gives confidence intervals through the inverse link and refuses prediction intervals for GLMMs', () => {
    const model = fitCbpp();
    const p = model.predict({ data: [{ herd: 1, period: 2 }], interval: 'confidence', se: true });
    const link = model.predict({ data: [{ herd: 1, period: 2 }], interval: 'confidence', scale: 'link' });
    const expit = (x: number) => 1 / (1 + Math.exp(-x));
    expect(p.interval!.lower[0]).toBeCloseTo(expit(link.interval!.lower[0]!), 12);
    expect(p.interval!.upper[0]).toBeCloseTo(expit(link.interval!.upper[0]!), 12);
    expect(p.fit[0]!).toBeGreaterThan(p.interval!.lower[0]!);
    // Delta method: se(mu) = se(eta) mu (1 - mu) for the logit link.
    expect(p.se![0]).toBeCloseTo(model.predict({ data: [{ herd: 1, period: 2 }], scale: 'link', se: true }).se![0]! * p.fit[0]! * (1 - p.fit[0]!), 12);
    expect(thrown(() => model.predict({ interval: 'prediction' })).message).toMatch(/prediction intervals are given for linear mixed models only/);
  });
});

describe('simulate', () => {
  it('is reproducible from its seed', () => {
    const model = fitCbpp();
    const a = model.simulate({ nsim: 3, seed: 2024 });
    const b = model.simulate({ nsim: 3, seed: 2024 });
    const c = model.simulate({ nsim: 3, seed: 2025 });
    expect(a.responses.map((r) => Array.from(r))).toEqual(b.responses.map((r) => Array.from(r)));
    expect(Array.from(c.responses[0]!)).not.toEqual(Array.from(a.responses[0]!));
    const unseeded = model.simulate();
    expect(Array.from(model.simulate({ seed: unseeded.seed }).responses[0]!)).toEqual(Array.from(unseeded.responses[0]!));
  });

  it('draws Gaussian responses around the conditional fit with variance sigma^2, and with new random effects around the marginal fit', () => {
    const model = fitSleep();
    const nsim = 4000;
    const fitted = model.fitted();
    const marginal = model.fitted({ conditional: false });
    const sigma2 = model.sigma ** 2;
    const S = model.randomTerms[0]!.covarianceMatrix;
    for (const conditional of [true, false]) {
      const sim = model.simulate({ nsim, seed: 99, conditional });
      for (const row of [0, 9, 100, 179]) {
        let m = 0;
        let m2 = 0;
        for (const y of sim.responses) {
          m += y[row]!;
          m2 += y[row]! * y[row]!;
        }
        m /= nsim;
        const v = m2 / nsim - m * m;
        const days = (sleep.columns.Days as Float64Array)[row]!;
        // Var(y) = sigma^2, plus z' Sigma z with new random effects (z = (1, Days)).
        const expectedVar = conditional ? sigma2 : sigma2 + S[0]! + 2 * days * S[1]! + days * days * S[3]!;
        const mean = conditional ? fitted[row]! : marginal[row]!;
        expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(expectedVar / nsim));
        expect(Math.abs(v - expectedVar)).toBeLessThan(4 * expectedVar * Math.sqrt(2 / nsim));
      }
    }
  });

  it('draws binomial proportions of the trials with mean mu', () => {
    const model = fitCbpp();
    const sim = model.simulate({ nsim: 3000, seed: 7, conditional: true });
    const mu = model.fitted();
    const trials = sim.weights;
    for (const row of [0, 10, 40]) {
      let m = 0;
      for (const y of sim.responses) {
        expect(Number.isInteger(Math.round(y[row]! * trials[row]! * 1e9) / 1e9)).toBe(true);
        m += y[row]!;
      }
      m /= sim.nsim;
      expect(Math.abs(m - mu[row]!)).toBeLessThan(4 * Math.sqrt((mu[row]! * (1 - mu[row]!)) / trials[row]! / sim.nsim));
    }
  });
});

describe('refit, withMethod, designMatrix', () => {
  it('refits the same response to the same estimates, and a simulated one to others', () => {
    const model = fitCbpp();
    const same = model.refit(model.problem().model.y);
    same.beta.forEach((b, i) => expect(b).toBeCloseTo(model.beta[i]!, 6));
    const sim = model.simulate({ seed: 3 });
    const other = model.refit(sim.responses[0]!);
    expect(Array.from(other.beta)).not.toEqual(Array.from(model.beta));
    expect(validateResults(other.results).valid).toBe(true);
    expect(thrown(() => model.refit(new Float64Array(3))).message).toMatch(/the new response has 3 values, the model was fitted to 56 rows/);
    expect(thrown(() => model.refit(new Float64Array(56).fill(2))).message).toMatch(/not valid for the binomial family/);
  });

  it('refits a REML fit by ML', () => {
    const ml = fitSleep().withMethod('ml');
    const direct = fitModel({ formula: 'Reaction ~ Days + (Days | Subject)', data: sleep, method: 'ml' });
    expect(ml.methodName).toBe('ml');
    expect(ml.logLik).toBeCloseTo(direct.logLik, 6);
    expect(thrown(() => fitSleep().withMethod('laplace')).message).toMatch(/method "laplace" cannot fit this model/);
  });

  it('gives X dense and Z in CSC form, with X beta + Z b + offset the conditional linear predictor', () => {
    const model = fitSleep();
    const { X, Z, n, p, zColumns } = model.designMatrix();
    expect([n, p, Z.rows, Z.columns]).toEqual([180, 2, 180, 36]);
    expect(zColumns[0]).toEqual({ group: 'Subject', level: '308', column: '(Intercept)' });
    expect(zColumns[1]).toEqual({ group: 'Subject', level: '308', column: 'Days' });
    expect(Z.columnPointers[36]).toBe(360);
    const b = model.randomTerms[0]!.modes;
    const eta = new Float64Array(n);
    for (let i = 0; i < n; i++) eta[i] = X[i]! * model.beta[0]! + X[n + i]! * model.beta[1]!;
    for (let j = 0; j < Z.columns; j++)
      for (let m = Z.columnPointers[j]!; m < Z.columnPointers[j + 1]!; m++) eta[Z.rowIndices[m]!]! += Z.values[m]! * b[j]!;
    const fitted = model.fitted({ scale: 'link' });
    eta.forEach((e, i) => expect(e).toBeCloseTo(fitted[i]!, 9));
  });
});
