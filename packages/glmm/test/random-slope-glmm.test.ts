import { describe, expect, it } from 'vitest';
import { fitGlmm } from '@glmm/glmm';

/**
 * Random-slope GLMMs, (1 + x | g) alone or crossed with (1 | h), drawn by a
 * small Park-Miller generator; `at` picks the data set of that index.
 */
function slopeData(seed: number, at: number, gaussian = false) {
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const nrm = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
  for (let trial = 0; ; trial++) {
    const n = 100 + Math.floor(rnd() * 900);
    const ng = 4 + Math.floor(rnd() * 30);
    const nh = 3 + Math.floor(rnd() * 10);
    const drawn = rnd() < 0.5 ? 'binomial' : 'poisson';
    const family = gaussian ? 'gaussian' : drawn;
    const sdi = rnd() < 0.2 ? 0 : rnd();
    const sds = rnd() < 0.3 ? 0 : 0.6 * rnd();
    const sdh = rnd() < 0.3 ? 0 : rnd();
    const ui = Array.from({ length: ng }, () => sdi * nrm());
    const us = Array.from({ length: ng }, () => sds * nrm());
    const uh = Array.from({ length: nh }, () => sdh * nrm());
    const y: number[] = [];
    const x: number[] = [];
    const g: string[] = [];
    const h: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = i < ng ? i : Math.floor(rnd() * ng);
      const b = i < nh ? i : Math.floor(rnd() * nh);
      const xv = nrm();
      const eta = -0.2 + 0.4 * xv + ui[a]! + us[a]! * xv + uh[b]!;
      if (family === 'gaussian') y.push(eta + nrm());
      else if (family === 'binomial') y.push(rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
      else {
        let k = 0;
        let p = Math.exp(-Math.exp(eta));
        let c = p;
        const v = rnd();
        while (v > c && k < 100) {
          k++;
          p *= Math.exp(eta) / k;
          c += p;
        }
        y.push(k);
      }
      x.push(xv);
      g.push(`g${a}`);
      h.push(`h${b}`);
    }
    const crossed = rnd() < 0.6;
    if (trial === at) return { data: { y, x, g, h }, family, formula: crossed ? 'y ~ x + (1 + x | g) + (1 | h)' : 'y ~ x + (1 + x | g)' };
  }
}

describe('random-slope GLMMs: the exact gradient and the zero-diagonal restarts', () => {
  // Both reach a point with the intercept's diagonal entry of Lambda at 0 and
  // the slope's entry below it pointing the wrong way, where the derivative
  // keeps a bound-constrained search (before the restarts: logLik -97.6435
  // and -530.6398); the optimum, which bobyqa from lme4's start also
  // reaches, is elsewhere.
  for (const [at, optimum] of [
    [12, -97.396835],
    [13, -519.798432],
  ] as const)
    it(`data set ${at}: the quasi-Newton search with the exact gradient reaches logLik ${optimum}`, () => {
      const { data, family, formula } = slopeData(5, at);
      const r = fitGlmm({ formula, data, family, method: 'laplace' });
      expect(r.convergence.optimizer).toBe('quasi-newton');
      expect(r.convergence.converged).toBe(true);
      expect(r.fit.logLik).toBeGreaterThan(optimum - 1e-5);
      expect(r.fit.logLik).toBeLessThan(optimum + 1e-5);
      expect(r.theta[0]).toBeGreaterThan(0.1);
    });
});

describe('a random-slope LMM that bobyqa from lme4 start leaves at a zero diagonal', () => {
  // (1 + x | g) alone: bobyqa from theta = (1, 0, 1) stops at L11 = 0 with
  // L21 pointing the wrong way (logLik -504.1388); lme4 1.1-31 finds
  // -502.6482 at theta (0.1073, -0.2313, 0), and so must the restart.
  it('reaches lme4\'s logLik -502.6482', () => {
    const { data, formula } = slopeData(5, 34, true);
    expect(formula).toBe('y ~ x + (1 + x | g)');
    const r = fitGlmm({ formula, data });
    expect(r.fit.logLik).toBeGreaterThan(-502.64823 - 1e-5);
    expect(r.fit.logLik).toBeLessThan(-502.64823 + 1e-5);
    expect(r.theta[0]).toBeCloseTo(0.1073, 3);
    expect(r.theta[1]).toBeCloseTo(-0.2313, 3);
  });
});
