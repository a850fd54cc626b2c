export { gammaFamily } from './gamma-family.js';
export {
  gammaVariance,
  gammaDevResiduals,
  gammaAic,
  gammaStartingMu,
  gammaCheckResponse,
  gammaValidMu,
} from './gamma-math.js';
export { gammaLatentVariance } from './latent-variance.js';
export { gammaWithDispersion, gammaDispersionParameter } from './gamma-dispersion.js';
export { dgammaLog } from '@glmm/distributions';
export { familyGammaBundle } from './bundle.js';
export { gammaSimulate } from './gamma-simulate.js';
