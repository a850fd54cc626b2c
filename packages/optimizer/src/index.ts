export { nelderMead, defaultInitialStep, NELDER_MEAD_DEFAULTS } from './nelder-mead.js';
export { quasiNewton, QUASI_NEWTON_DEFAULTS } from './quasi-newton.js';
export { finiteDifferenceGradient, FD_RELATIVE_STEP, FD_MIN_SCALE } from './finite-difference-gradient.js';
export { resolveBox, projectInto } from './box.js';
export type { Box } from './box.js';
export { countedObjective } from './counted-objective.js';
export type { CountedObjective } from './counted-objective.js';
export { nelderMeadOptimizer, quasiNewtonOptimizer } from './optimizers.js';
export { optimizerBundle } from './bundle.js';
