import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { poissonFamily } from './poisson-family.js';

export const familyPoissonBundle: PluginBundle = defineBundle('@glmm/family-poisson', [
  definePlugin('family', 'poisson', poissonFamily),
]);
