// `npm pack` / `npm publish` of a workspace package (its prepack script):
// copies the repository's LICENSE and CHANGELOG.md into the package, which
// npm includes only from the package's own folder, and refuses to pack a
// package whose build is missing.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
if (!existsSync('README.md')) throw new Error(`${pkg.name}: README.md is missing`);
const entry = pkg.exports?.['.']?.default?.default ?? pkg.exports?.['.']?.default ?? pkg.main;
if (typeof entry === 'string' && !existsSync(entry)) throw new Error(`${pkg.name}: ${entry} is not built; run "npm run build" at the repository root first`);
for (const file of ['LICENSE', 'CHANGELOG.md']) copyFileSync(new URL(file, root), file);
