import { readFileSync } from 'node:fs';
import { fixturesDir } from '@glmm/datasets';
import { readCsvFile } from '@glmm/node-io';
import { fitModel, saveModel } from '@glmm/glmm';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_INPUT, EXIT_USAGE } from '../src/run.js';
import { expectOneLineError, run, tempFile } from './helpers.js';

const datasets = new URL('../', `file://${fixturesDir}`).pathname;
const reference = (name: string) => JSON.parse(readFileSync(`${datasets}inference-fixtures/${name}.json`, 'utf8'));
const sleepstudy = `${datasets}examples/sleepstudy.csv`;
const factorial = `${datasets}inference-fixtures/factorial.csv`;
const cbpp = `${datasets}examples/cbpp.csv`;

const files: Record<string, string> = {};

/**
 * Without the fitted rows in the file (the model package's save option; `design` or `data` by version), so that
 * the commands must be given --data for what needs it.
 */
const WITHOUT_DATA = { design: false, data: false } as unknown as Parameters<typeof saveModel>[1];

/** Models saved as `glmm fit --save` saves them (through the library), without their rows. */
beforeAll(() => {
  const save = (key: string, formula: string, path: string, extra: Record<string, unknown> = {}): void => {
    files[key] = tempFile(saveModel(fitModel({ formula, data: readCsvFile(path), ...extra }), WITHOUT_DATA), 'json');
  };
  save('slopes', 'Reaction ~ Days + (Days | Subject)', sleepstudy);
  save('intercept', 'Reaction ~ Days + (1 | Subject)', sleepstudy);
  save('noDays', 'Reaction ~ 1 + (Days | Subject)', sleepstudy, { method: 'ml' });
  save('interceptMl', 'Reaction ~ Days + (1 | Subject)', sleepstudy, { method: 'ml' });
  save('subset', 'Reaction ~ Days + (Days | Subject)', sleepstudy, { method: 'ml', exclude: [1, 2, 3] });
  save('factorial', 'y ~ A * B + (1 + A | subj)', factorial);
  save('additive', 'y ~ A + B + (1 + A | subj)', factorial);
  save('cbpp', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial', categorical: ['herd', 'period'] });
});

const close = (a: number, b: number, rel: number): boolean => Math.abs(a - b) <= rel * Math.abs(b);

describe('glmm anova', () => {
  it('Type III with Satterthwaite DF by default for an LMM, as lmerTest', async () => {
    const ref = reference('factorial_slopes_reml');
    const r = await run(['anova', '--model', files.factorial!, '--data', factorial, '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.type).toBe('3');
    expect(out.dfMethod).toBe('satterthwaite');
    expect(out.terms.map((t: { term: string }) => t.term)).toEqual(['A', 'B', 'A:B']);
    out.terms.forEach((t: { numDF: number; denDF: number; F: number; pValue: number }, i: number) => {
      const e = ref.anova.type3[i];
      expect(t.numDF).toBe(e.numDF);
      expect(close(t.F, e.F, 0.005)).toBe(true);
      expect(close(t.denDF, e.denDF, 0.01)).toBe(true);
      expect(Object.keys(t)).toEqual(['term', 'numDF', 'denDF', 'F', 'pValue']);
    });
  });

  it('marginal with residual DF as CSV; z for a GLMM without data; text names the method', async () => {
    const csvOut = await run(['anova', '--model', files.factorial!, '--type', 'marginal', '--ddf', 'residual', '--format', 'csv']);
    expect(csvOut.code).toBe(0);
    const lines = csvOut.stdout.trim().split('\n');
    expect(lines[0]).toBe('term,numDF,denDF,F,pValue');
    expect(lines[1]!.startsWith('A,1,282,')).toBe(true);
    const text = await run(['anova', '--model', files.cbpp!]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Type III analysis of variance: F tests with denominator DF infinite/);
    expect(text.stdout).toMatch(/period\s+3\s+Inf/);
  });

  it('says what Satterthwaite needs when the data are missing, in one line', async () => {
    const msg = expectOneLineError(await run(['anova', '--model', files.factorial!]), EXIT_INPUT);
    expect(msg).toMatch(/Satterthwaite's degrees of freedom need the data the model was fitted to \(CLI: --data FILE\.csv/);
    expect(expectOneLineError(await run(['anova', '--model', files.cbpp!, '--ddf', 'satterthwaite']), EXIT_INPUT)).toMatch(/defined for linear mixed models/);
  });
});

describe('glmm test', () => {
  it('joint F and row t tests of --contrast rows, as lmerTest contest', async () => {
    const ref = reference('factorial_slopes_reml').contrasts[1];
    const r = await run(['test', '--model', files.factorial!, '--data', factorial, '--contrast', 'Bb2 - Bb3 = 0', '--contrast', 'Aa2:Bb2 - Aa2:Bb3 = 0', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.numDF).toBe(2);
    expect(close(out.F, ref.F, 0.005)).toBe(true);
    expect(close(out.denDF, ref.denDF, 0.01)).toBe(true);
    expect(out.contrasts.map((c: { contrast: string }) => c.contrast)).toEqual(['Bb2 - Bb3 = 0', 'Aa2:Bb2 - Aa2:Bb3 = 0']);
    expect(close(out.contrasts[0].statistic, ref.rows[0].t, 1e-3)).toBe(true);
  });

  it('a right-hand side and multipliers, z for a GLMM, text output', async () => {
    const r = await run(['test', '--model', files.cbpp!, '--contrast', '2*period2 - period3 = -1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/z \(normal approximation\)/);
    expect(r.stdout).toMatch(/2\*period2 - period3 = -1/);
    expect(r.stdout).toMatch(/Joint test of the 1 row\(s\): F = [\d.]+ on 1 and Inf DF/);
  });

  it('refuses a missing or unknown contrast in one line', async () => {
    expect(expectOneLineError(await run(['test', '--model', files.cbpp!]), EXIT_USAGE)).toMatch(/missing required option --contrast/);
    expect(expectOneLineError(await run(['test', '--model', files.cbpp!, '--contrast', 'period5 = 0']), EXIT_INPUT)).toMatch(
      /unknown coefficient "period5" at character 1; coefficients: \(Intercept\), period2, period3, period4/,
    );
  });
});

describe('glmm confint', () => {
  it("profile intervals as lme4's confint, at --level", async () => {
    const ref = reference('sleepstudy_slopes_reml').confint_profile[1];
    const r = await run(['confint', '--model', files.slopes!, '--data', sleepstudy, '--level', '0.9', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('profile');
    expect(out.level).toBe(0.9);
    expect(out.rows.map((x: { name: string }) => x.name)).toEqual(ref.rows.map((x: { name: string }) => x.name));
    out.rows.forEach((row: { lower: number; upper: number }, i: number) => {
      const e = ref.rows[i];
      expect(Math.abs(row.lower - e.lower) / (e.upper - e.lower)).toBeLessThan(0.01);
      expect(Math.abs(row.upper - e.upper) / (e.upper - e.lower)).toBeLessThan(0.01);
    });
  });

  it('Wald for a GLMM with its data; CSV', async () => {
    const ref = reference('cbpp_binomial_laplace').wald_varpar[0];
    const r = await run(['confint', '--model', files.cbpp!, '--data', cbpp, '--format', 'csv']);
    expect(r.code).toBe(0);
    const [header, first] = r.stdout.split('\n');
    expect(header).toBe('name,estimate,lower,upper');
    const [name, , lower, upper] = first!.split(',');
    expect(name).toBe('sd_(Intercept)|herd');
    expect(Math.abs(Number(lower) - ref.lower) / (ref.upper - ref.lower)).toBeLessThan(0.02);
    expect(Math.abs(Number(upper) - ref.upper) / (ref.upper - ref.lower)).toBeLessThan(0.02);
  });

  it('profile without the data says so; a bad level is a usage error', async () => {
    expect(expectOneLineError(await run(['confint', '--model', files.slopes!]), EXIT_INPUT)).toMatch(/needs the data the model was fitted to.*--data FILE\.csv/);
    expect(expectOneLineError(await run(['confint', '--model', files.slopes!, '--level', '95']), EXIT_USAGE)).toMatch(/--level must be a number between 0 and 1/);
  });
});

describe('glmm compare', () => {
  it("likelihood-ratio test as lme4's anova(m0, m1), REML refitted by ML", async () => {
    const ref = reference('sleepstudy_slopes_reml').compare;
    const r = await run(['compare', '--model', files.slopes!, '--model', files.intercept!, '--data', sleepstudy, '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Math.abs(out.chiSq - ref.chiSq)).toBeLessThan(2e-3);
    expect(out.df).toBe(2);
    expect(out.refitted).toBe(true);
    out.models.forEach((m: { logLik: number; aic: number; bic: number }, i: number) => {
      expect(Math.abs(m.logLik - ref.models[i].logLik)).toBeLessThan(1e-3);
      expect(Math.abs(m.aic - ref.models[i].aic)).toBeLessThan(2e-3);
      expect(Math.abs(m.bic - ref.models[i].bic)).toBeLessThan(2e-3);
    });
  });

  it('refuses non-nested models, different data and a wrong count of models in one line', async () => {
    expect(expectOneLineError(await run(['compare', '--model', files.slopes!]), EXIT_USAGE)).toMatch(/needs exactly two models/);
    expect(expectOneLineError(await run(['compare', '--model', files.interceptMl!, '--model', files.noDays!]), EXIT_INPUT)).toMatch(
      /the models are not nested: fixed effect\(s\) Days of "Reaction ~ Days \+ \(1 \| Subject\)" are not in "Reaction ~ 1 \+ \(Days \| Subject\)"/,
    );
    expect(expectOneLineError(await run(['compare', '--model', files.interceptMl!, '--model', files.subset!]), EXIT_INPUT)).toMatch(
      /fitted to different data: 180 and 177 rows used/,
    );
    expect(expectOneLineError(await run(['compare', '--model', files.slopes!, '--model', files.cbpp!]), EXIT_INPUT)).toMatch(/different families/);
    expect(expectOneLineError(await run(['compare', '--model', files.slopes!, '--model', files.intercept!]), EXIT_INPUT)).toMatch(
      /fitted by REML: the likelihood-ratio test refits it by ML, which needs the data/,
    );
  });
});

describe('glmm bootstrap', () => {
  it('is seeded and reports intervals; progress on stderr', async () => {
    const args = ['bootstrap', '--model', files.slopes!, '--data', sleepstudy, '--nsim', '20', '--seed', '11', '--format', 'json'];
    const a = await run(args);
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/glmm: bootstrap 20\/20/);
    const out = JSON.parse(a.stdout);
    expect(out.nsim).toBe(20);
    expect(out.seed).toBe(11);
    expect(out.rows.map((r: { name: string }) => r.name)).toEqual(['(Intercept)', 'Days', 'sd_(Intercept)|Subject', 'cor_Days.(Intercept)|Subject', 'sd_Days|Subject', 'sigma']);
    expect((await run(args)).stdout).toBe(a.stdout);
  });

  it('needs --nsim and --seed', async () => {
    expect(expectOneLineError(await run(['bootstrap', '--model', files.slopes!, '--seed', '1']), EXIT_USAGE)).toMatch(/missing required option --nsim/);
    expect(expectOneLineError(await run(['bootstrap', '--model', files.slopes!, '--nsim', '10']), EXIT_USAGE)).toMatch(/missing required option --seed/);
  });
});

describe('shared', () => {
  it('a missing model file, a bad --ddf and a bad --format are one line each', async () => {
    expect(expectOneLineError(await run(['anova']), EXIT_USAGE)).toMatch(/missing required option --model FILE\.json/);
    expect(expectOneLineError(await run(['anova', '--model', '/no/such/model.json']), EXIT_INPUT)).toMatch(/cannot read model file "\/no\/such\/model\.json": no such file/);
    expect(expectOneLineError(await run(['anova', '--model', files.cbpp!, '--ddf', 'kr']), EXIT_USAGE)).toMatch(/--ddf must be one of satterthwaite, residual, z/);
    expect(expectOneLineError(await run(['anova', '--model', files.cbpp!, '--format', 'html']), EXIT_USAGE)).toMatch(/--format must be one of text, json, csv/);
    expect(expectOneLineError(await run(['anova', '--model', tempFile('{"not": "a model"}', 'json')]), EXIT_INPUT)).toMatch(/^model file ".*":/);
  });

  it('glmm --help lists every command, and each has its help', async () => {
    const top = await run(['--help']);
    for (const c of ['fit', 'example', 'anova', 'test', 'confint', 'compare', 'bootstrap']) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    for (const c of ['anova', 'test', 'confint', 'compare', 'bootstrap']) {
      const h = await run([c, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^Usage: glmm ${c} --model`));
    }
  });
});

describe('glmm fit --ddf --level', () => {
  it('the fixed-effects table names its DF method; JSON rows carry df', async () => {
    const text = await run(['fit', '--data', sleepstudy, '--formula', 'Reaction ~ Days + (Days | Subject)']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Estimate\s+Std\. Error\s+df\s+t value\s+Pr\(>\|t\|\)/);
    expect(text.stdout).toMatch(/t with Satterthwaite's degrees of freedom/);
    const json = JSON.parse((await run(['fit', '--data', sleepstudy, '--formula', 'Reaction ~ Days + (Days | Subject)', '--ddf', 'residual', '--level', '0.9', '--format', 'json'])).stdout);
    expect(json.dfMethod).toBe('residual');
    expect(json.confidenceLevel).toBe(0.9);
    expect(json.fixedEffects[1].df).toBe(178);
    const glmm = JSON.parse((await run(['fit', '--data', cbpp, '--formula', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', '--family', 'binomial', '--categorical', 'herd,period', '--format', 'json'])).stdout);
    expect(glmm.dfMethod).toBe('z');
    expect(glmm.fixedEffects[0].df).toBeNull();
    expect(expectOneLineError(await run(['fit', '--data', sleepstudy, '--formula', 'Reaction ~ Days + (Days | Subject)', '--ddf', 'kenward']), EXIT_USAGE)).toMatch(/--ddf must be one of/);
  });
});
