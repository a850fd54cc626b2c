export { negativeBinomialFamily, negativeBinomialAt, negativeBinomialShape } from './negative-binomial-family.js';
export {
  nbVariance,
  nbVarianceDerivative,
  nbDevResiduals,
  nbDevResidualAt,
  nbMinusTwoLogLik,
  nbStartingMu,
  nbCheckResponse,
  nbValidMu,
} from './negative-binomial-math.js';
export { shapeStart, SHAPE_START_CAP } from './shape-start.js';
export { nbSimulate } from './negative-binomial-simulate.js';
export { nbLatentVariance } from './latent-variance.js';
export { dnbinomLog } from '@glmm/distributions';
export { familyNegativeBinomialBundle } from './bundle.js';
