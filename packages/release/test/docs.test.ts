import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publicPackages, REPO_ROOT } from '../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'glmm-docs-'));

describe('npm run docs', () => {
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the API reference of every public package', () => {
    // The root script is "typedoc" (typedoc.json); here into a temporary folder instead of docs/api.
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(root.scripts['docs']).toBe('typedoc');
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out, '--logLevel', 'Error'], { cwd: REPO_ROOT, stdio: 'pipe' });
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    for (const p of publicPackages()) {
      const page = join(out, 'modules', `${p.manifest.name.replace('@', '_').replace('/', '_')}.html`);
      expect(existsSync(page), p.manifest.name).toBe(true);
    }
    const glmm = readFileSync(join(out, 'modules', '_glmm_glmm.index.html'), 'utf8');
    expect(glmm).toContain('fitGlmm');
    expect(readFileSync(join(out, 'modules', '_glmm_glmm.node.html'), 'utf8')).toContain('readCsvFile');
  });
});
