export { binomialFamily } from './binomial-family.js';
export {
  binomialVariance,
  binomialDevResiduals,
  binomialAic,
  binomialStartingMu,
  binomialCheckResponse,
  binomialValidMu,
} from './binomial-math.js';
export { binomialLatentVariance } from './latent-variance.js';
export { dbinomLog } from '@glmm/distributions';
export { familyBinomialBundle } from './bundle.js';
export { binomialSimulate } from './binomial-simulate.js';
