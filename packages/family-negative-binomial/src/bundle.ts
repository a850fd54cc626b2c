import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { negativeBinomialFamily } from './negative-binomial-family.js';

export const familyNegativeBinomialBundle: PluginBundle = defineBundle('@glmm/family-negative-binomial', [
  definePlugin('family', 'negative_binomial', negativeBinomialFamily),
]);
