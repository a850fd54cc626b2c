export { inverseGaussianFamily, inverseGaussianAt, inverseGaussianDispersion } from './inverse-gaussian-family.js';
export {
  igVariance,
  igVarianceDerivative,
  igDevResiduals,
  igDevResidualAt,
  igMinusTwoLogLik,
  igProfileAic,
  igDispersionStart,
  igStartingMu,
  igCheckResponse,
  igValidMu,
} from './inverse-gaussian-math.js';
export { igLatentVariance } from './latent-variance.js';
export { igSimulate } from './inverse-gaussian-simulate.js';
export { dinvgaussLog } from '@glmm/distributions';
export { familyInverseGaussianBundle } from './bundle.js';
