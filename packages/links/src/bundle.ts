import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { cloglogLink } from './cloglog.js';
import { identityLink } from './identity.js';
import { inverseLink } from './inverse.js';
import { inverseSquaredLink } from './inverse-squared.js';
import { logLink } from './log.js';
import { logitLink } from './logit.js';
import { loglogLink } from './loglog.js';
import { powerLinks } from './power.js';
import { probitLink } from './probit.js';
import { sqrtLink } from './sqrt.js';

/** Every fixed link under the name R's families use for it, and "power", whose power(p) is any power link. */
export const linksBundle: PluginBundle = defineBundle('@glmm/links', [
  ...[identityLink, logLink, logitLink, probitLink, cloglogLink, loglogLink, inverseLink, sqrtLink, inverseSquaredLink].map(
    (link) => definePlugin('link', link.name, link),
  ),
  definePlugin('link', 'power', powerLinks),
]);
