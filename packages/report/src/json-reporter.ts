import type { GlmmResults, Reporter } from '@glmm/core';

export function renderJson(r: GlmmResults): string {
  return JSON.stringify(r, null, 2);
}

export const jsonReporter: Reporter = { name: 'json', render: renderJson };
