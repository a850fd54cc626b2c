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
export { dgammaLog } from './dgamma.js';
export { familyGammaBundle } from './bundle.js';
