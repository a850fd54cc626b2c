import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { binomialFamily } from './binomial-family.js';

export const familyBinomialBundle: PluginBundle = defineBundle('@glmm/family-binomial', [
  definePlugin('family', 'binomial', binomialFamily),
]);
