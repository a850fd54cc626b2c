export type { Reference, ReferenceFixef, ReferenceVarCorr, ReferenceRanef } from './reference.js';
export { fixturesDir, examplesDir, fixtureNames, loadFixture, fixtureCsvText, examples } from './fixtures.js';
export type { Fixture } from './fixtures.js';
