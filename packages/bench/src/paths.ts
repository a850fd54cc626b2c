import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Package root, found from this file so it works from dist/ (node) and src/ (vitest) alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = join(PACKAGE_ROOT, '..', '..');
/** Generated synthetic CSVs (gitignored). */
export const CACHE_DIR = join(PACKAGE_ROOT, '.data');
/** Shipped real data sets. */
export const DATA_DIR = join(PACKAGE_ROOT, 'data');
export const R_FIT_SCRIPT = join(PACKAGE_ROOT, 'r', 'fit.R');
/** lme4's whole command: read the CSV, fit, print summary(). */
export const R_COMMAND_SCRIPT = join(PACKAGE_ROOT, 'r', 'command.R');
/** Our whole command: the `glmm` launcher (it loads the CLI bundle the root build makes). */
export const CLI_BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'glmm.js');
export const SLEEPSTUDY_CSV = join(REPO_ROOT, 'packages', 'datasets', 'examples', 'sleepstudy.csv');
export const DEFAULT_OUT = join(REPO_ROOT, 'bench-results', 'latest.json');
