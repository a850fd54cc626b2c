export type { Reference, ReferenceFixef, ReferenceVarCorr, ReferenceRanef } from './reference.js';
export {
  fixturesDir,
  extraFixturesDir,
  examplesDir,
  fixtureNames,
  loadFixture,
  extraFixtureNames,
  loadExtraFixture,
  fixtureCsvText,
  examples,
} from './fixtures.js';
export type { Fixture } from './fixtures.js';
