import { describe, expect, it } from 'vitest';
import { fitGlmm } from '@glmm/glmm';

/** Counts with no group effect at all: the Laplace optimum is on the boundary, theta = 0. */
function noGroupEffect(n: number, groups: number, seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const x: number[] = [];
  const g: string[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = rand() * 2 - 1;
    const mu = Math.exp(0.3 + 0.4 * xi);
    // Poisson by inversion.
    let k = 0;
    let p = Math.exp(-mu);
    let c = p;
    const u = rand();
    while (u > c) {
      k++;
      p *= mu / k;
      c += p;
    }
    x.push(xi);
    g.push(`g${i % groups}`);
    y.push(k);
  }
  return { x, g, y };
}

describe('a GLMM whose random-intercept variance is zero (the grouped Newton search at the boundary)', () => {
  // The seed is chosen so that this sample's group variation is below what chance gives: theta-hat = 0.
  const data = noGroupEffect(600, 30, 7);
  const fit = fitGlmm({ formula: 'y ~ x + (1 | g)', data, family: 'poisson' });

  it('ends exactly on theta = 0 with the singular-fit warning', () => {
    expect(fit.theta[0]).toBe(0);
    expect(fit.warnings.some((w) => w.code === 'singular-fit')).toBe(true);
    expect(fit.convergence.converged).toBe(true);
  });

  it('has the Poisson GLM likelihood there (the Laplace deviance at theta = 0)', () => {
    // The GLM by Newton's method on (b0, b1), to full precision.
    let b0 = 0;
    let b1 = 0;
    for (let it = 0; it < 50; it++) {
      let g0 = 0;
      let g1 = 0;
      let h00 = 0;
      let h01 = 0;
      let h11 = 0;
      for (let i = 0; i < data.y.length; i++) {
        const mu = Math.exp(b0 + b1 * data.x[i]!);
        const r = data.y[i]! - mu;
        g0 += r;
        g1 += r * data.x[i]!;
        h00 += mu;
        h01 += mu * data.x[i]!;
        h11 += mu * data.x[i]! * data.x[i]!;
      }
      const det = h00 * h11 - h01 * h01;
      b0 += (h11 * g0 - h01 * g1) / det;
      b1 += (h00 * g1 - h01 * g0) / det;
    }
    let logLik = 0;
    for (let i = 0; i < data.y.length; i++) {
      const mu = Math.exp(b0 + b1 * data.x[i]!);
      let lf = 0;
      for (let k = 2; k <= data.y[i]!; k++) lf += Math.log(k);
      logLik += data.y[i]! * Math.log(mu) - mu - lf;
    }
    expect(Math.abs(fit.fit.logLik - logLik)).toBeLessThan(1e-6);
    expect(Math.abs(fit.fixedEffects[0]!.estimate - b0)).toBeLessThan(1e-6);
    expect(Math.abs(fit.fixedEffects[1]!.estimate - b1)).toBeLessThan(1e-6);
  });
});
