import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

/**
 * Time of the newest built library file (packages/* /dist, bench excluded).
 * The engine may be rebuilt while a long benchmark runs; stamping each case
 * with this shows which cases ran on the same build.
 */
export function libraryBuildStamp(): string | null {
  const packagesDir = join(REPO_ROOT, 'packages');
  let newest = 0;
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const pkg of readdirSync(packagesDir)) if (pkg !== 'bench') walk(join(packagesDir, pkg, 'dist'));
  return newest > 0 ? new Date(newest).toISOString() : null;
}
