import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { gaussianFamily } from './gaussian-family.js';

export const familyGaussianBundle: PluginBundle = defineBundle('@glmm/family-gaussian', [
  definePlugin('family', 'gaussian', gaussianFamily),
]);
