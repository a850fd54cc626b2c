export { gaussianFamily } from './gaussian-family.js';
export {
  gaussianVariance,
  gaussianDevResiduals,
  gaussianAic,
  gaussianStartingMu,
  gaussianCheckResponse,
  gaussianValidMu,
} from './gaussian-math.js';
export { gaussianLatentVariance } from './latent-variance.js';
export { familyGaussianBundle } from './bundle.js';
export { gaussianWithDispersion, gaussianDispersionParameter } from './gaussian-dispersion.js';
export { gaussianSimulate } from './gaussian-simulate.js';
