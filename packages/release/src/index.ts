export { REPO_ROOT, workspacePackages, publicPackages } from './workspace.js';
export type { Manifest, WorkspacePackage } from './workspace.js';
export { importedPackages } from './imported-packages.js';
