import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { inverseGaussianFamily } from './inverse-gaussian-family.js';

export const familyInverseGaussianBundle: PluginBundle = defineBundle('@glmm/family-inverse-gaussian', [
  definePlugin('family', 'inverse_gaussian', inverseGaussianFamily),
]);
