import { defineBundle, definePlugin, type PluginBundle } from '@glmm/core';
import { bobyqaOptimizer, nelderMeadOptimizer, quasiNewtonOptimizer } from './optimizers.js';

export const optimizerBundle: PluginBundle = defineBundle('@glmm/optimizer', [
  definePlugin('optimizer', nelderMeadOptimizer.name, nelderMeadOptimizer),
  definePlugin('optimizer', quasiNewtonOptimizer.name, quasiNewtonOptimizer),
  definePlugin('optimizer', bobyqaOptimizer.name, bobyqaOptimizer),
]);
