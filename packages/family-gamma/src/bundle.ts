import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { gammaFamily } from './gamma-family.js';

export const familyGammaBundle: PluginBundle = defineBundle('@glmm/family-gamma', [
  definePlugin('family', 'gamma', gammaFamily),
]);
