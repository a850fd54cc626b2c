import type { Container } from '@glmm/core';
import { GlmmModel } from '@glmm/model';
import { fitOutcome } from './fit-outcome.js';
import type { FitRequest } from './fit-request.js';

/** Formula + data -> a fitted model (GlmmModel), with the plugins of `container`. */
export function fitModelWithContainer(container: Container, request: FitRequest): GlmmModel {
  const { spec, encoding, plugins, model, raw, results, source } = fitOutcome(container, request, undefined);
  const { y: _y, ...design } = model;
  void _y;
  return GlmmModel.fromFit({ spec, encoding, plugins, model, design, raw, results, source });
}
