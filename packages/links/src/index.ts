export { identityLink, identityLinkfun, identityLinkinv, identityMuEta, identityValidEta } from './identity.js';
export { logLink, logLinkfun, logLinkinv, logMuEta, logValidEta } from './log.js';
export { logitLink, logitLinkfun, logitLinkinv, logitMuEta, logitValidEta } from './logit.js';
export { probitLink, probitLinkfun, probitLinkinv, probitMuEta, probitValidEta, PROBIT_THRESHOLD } from './probit.js';
export { cloglogLink, cloglogLinkfun, cloglogLinkinv, cloglogMuEta, cloglogValidEta } from './cloglog.js';
export { loglogLink, loglogLinkfun, loglogLinkinv, loglogMuEta, loglogValidEta } from './loglog.js';
export { inverseLink, inverseLinkfun, inverseLinkinv, inverseMuEta, inverseValidEta } from './inverse.js';
export { sqrtLink, sqrtLinkfun, sqrtLinkinv, sqrtMuEta, sqrtValidEta } from './sqrt.js';
export {
  inverseSquaredLink,
  inverseSquaredLinkfun,
  inverseSquaredLinkinv,
  inverseSquaredMuEta,
  inverseSquaredValidEta,
} from './inverse-squared.js';
export { powerLink, powerLinks } from './power.js';
export { WHOLE_LINE, POSITIVE, UNIT } from './intervals.js';
export { pnorm, qnorm, dnorm, DBL_EPSILON } from '@glmm/distributions';
export { linksBundle } from './bundle.js';
