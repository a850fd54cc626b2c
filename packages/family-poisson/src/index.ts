export { poissonFamily } from './poisson-family.js';
export {
  poissonVariance,
  poissonDevResiduals,
  poissonAic,
  poissonStartingMu,
  poissonCheckResponse,
  poissonValidMu,
} from './poisson-math.js';
export { poissonLatentVariance } from './latent-variance.js';
export { dpoisLog } from '@glmm/distributions';
export { familyPoissonBundle } from './bundle.js';
export { poissonSimulate } from './poisson-simulate.js';
