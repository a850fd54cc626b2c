export { RandomEffectsStructure } from './random-effects.js';
export { MixedSystem } from './mixed-system.js';
export type { ResponseCrossProducts } from './mixed-system.js';
export { termCovariances, conditionalModes, scalarTermModes, isSingularTheta } from './conditional-modes.js';
export { scalarTermSums } from './scalar-term-sums.js';
export type { ScalarTermSums } from './scalar-term-sums.js';
export { singularFitWarning, convergenceWarning } from './fit-warnings.js';
export { pickOptimizer } from './pick-optimizer.js';
