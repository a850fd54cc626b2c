import type { OpenInterval } from '@glmm/core';

/** The mean spaces links declare (Link.muDomain and muRange). */
export const WHOLE_LINE: OpenInterval = { lower: -Infinity, upper: Infinity };
export const POSITIVE: OpenInterval = { lower: 0, upper: Infinity };
export const UNIT: OpenInterval = { lower: 0, upper: 1 };
