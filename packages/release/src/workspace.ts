import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  main?: string;
  types?: string;
  files?: string[];
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

/** Every package under packages/, with its package.json. */
export function workspacePackages(): WorkspacePackage[] {
  const base = join(REPO_ROOT, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(base, e.name))
    .flatMap((dir) => {
      try {
        return [{ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }];
      } catch {
        return [];
      }
    });
}

/** The packages that are published: every workspace package not marked private. */
export function publicPackages(): WorkspacePackage[] {
  return workspacePackages().filter((p) => !p.manifest.private);
}
