import type { Optimizer } from '@glmm/core';
import { bobyqa } from './bobyqa.js';
import { nelderMead } from './nelder-mead.js';
import { quasiNewton } from './quasi-newton.js';

export const nelderMeadOptimizer: Optimizer = { name: 'nelder-mead', minimize: nelderMead };

export const quasiNewtonOptimizer: Optimizer = { name: 'quasi-newton', minimize: quasiNewton };

export const bobyqaOptimizer: Optimizer = { name: 'bobyqa', minimize: bobyqa };
