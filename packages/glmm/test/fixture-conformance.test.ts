import { fitFixture } from './fit-fixture.js';
import { fixtureNames, loadFixture } from '@glmm/datasets';
import { runEstimatorConformance } from '@glmm/testing';

const byMethod = new Map<string, string[]>();
for (const name of fixtureNames()) {
  const method = loadFixture(name).reference.method;
  byMethod.set(method, [...(byMethod.get(method) ?? []), name]);
}
for (const [method, names] of byMethod) {
  runEstimatorConformance(
    method,
    names.map((fixture) => ({ fixture, fit: fitFixture })),
  );
}
