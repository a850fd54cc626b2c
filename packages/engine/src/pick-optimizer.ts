import type { Optimizer } from '@glmm/core';

/** The first available optimiser among the preferred names, else the first one loaded. */
export function pickOptimizer(optimizers: readonly Optimizer[], preferred: readonly string[]): Optimizer {
  for (const name of preferred) {
    const o = optimizers.find((x) => x.name === name);
    if (o) return o;
  }
  const first = optimizers[0];
  if (!first) throw new Error('no optimizer plugin is loaded; register @glmm/optimizer');
  return first;
}
