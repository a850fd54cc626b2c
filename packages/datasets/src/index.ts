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
export {
  familyReferencesDir,
  loadFamilyValues,
  loadDnbinomExact,
  familyReferenceNames,
  loadFamilyReference,
  jsonNumber,
} from './family-references.js';
export type { FamilyValues, DispersionValues, JsonNumber } from './family-references.js';
