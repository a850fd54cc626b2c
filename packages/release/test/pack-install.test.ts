import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicPackages, REPO_ROOT } from '../src/index.js';

/** npm pack --json: one entry per tarball. */
interface PackResult {
  name: string;
  filename: string;
  files: { path: string }[];
}

const work = mkdtempSync(join(tmpdir(), 'glmm-pack-'));
const packs = join(work, 'packs');
const project = join(work, 'project');
const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
const node = (args: string[]): string => execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** lme4 1.1-31, lmer(Reaction ~ Days + (Days | Subject), sleepstudy): packages/datasets/fixtures/sleepstudy_slopes_reml. */
function lme4Sleepstudy(): { fixef: Record<string, number>; reml: number } {
  const ref = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/datasets/fixtures/sleepstudy_slopes_reml/reference.json'), 'utf8')) as {
    fixef: { name: string; estimate: number }[];
    REML_criterion: number;
  };
  return { fixef: Object.fromEntries(ref.fixef.map((f) => [f.name, f.estimate])), reml: ref.REML_criterion };
}

describe('the packed tarballs install in an empty project and fit sleepstudy', () => {
  let packed: PackResult[];

  beforeAll(() => {
    const missing = publicPackages().filter((p) => !existsSync(join(p.dir, 'dist')));
    if (missing.length > 0) throw new Error(`not built: ${missing.map((p) => p.manifest.name).join(', ')}; run "npm run build" first`);
    // Each package's prepack copies the repository's LICENSE and CHANGELOG.md into it.
    const workspaces = publicPackages().flatMap((p) => ['-w', relative(REPO_ROOT, p.dir)]);
    execFileSync('mkdir', ['-p', packs, project]);
    packed = JSON.parse(npm(['pack', ...workspaces, '--pack-destination', packs, '--json', '--loglevel=error'], REPO_ROOT)) as PackResult[];
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fit-from-tarballs', version: '1.0.0', private: true, type: 'module' }));
    // Every public package but the conformance suite, whose peer dependency (vitest) a user of the library does not need.
    // Third-party packages come from npm's cache where it has them (the registry is asked for their metadata).
    const tarballs = packed.filter((p) => p.name !== '@glmm/testing').map((p) => join(packs, p.filename));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], project);
  }, 900_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('every public package is packed with its build, types, README, license and changelog, and nothing of its tests', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(publicPackages().map((p) => p.manifest.name).sort());
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      const has = (f: string) => expect(files, `${p.name}: ${f}`).toContain(f);
      for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) has(f);
      expect(files.filter((f) => f.startsWith('test/') || f.endsWith('.tsbuildinfo')), p.name).toEqual([]);
    }
    expect(packed.find((p) => p.name === '@glmm/glmm')!.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['dist/node.js', 'dist/node.d.ts', 'dist/base.js', 'dist/glmm.bundle.mjs']),
    );
    expect(packed.find((p) => p.name === '@glmm/cli')!.files.map((f) => f.path)).toEqual(expect.arrayContaining(['bin/glmm.js', 'dist/glmm.bundle.mjs']));
    expect(readdirSync(join(project, 'node_modules/@glmm')).sort()).toEqual(
      packed.filter((p) => p.name !== '@glmm/testing').map((p) => p.name.slice('@glmm/'.length)).sort(),
    );
  });

  it("fits sleepstudy through the installed library, to lme4's numbers", () => {
    writeFileSync(
      join(project, 'fit.mjs'),
      `import { fitGlmm, readCsvFile } from '@glmm/glmm';
import { examples } from '@glmm/datasets';
const r = fitGlmm({ formula: 'Reaction ~ Days + (Days | Subject)', data: readCsvFile(examples.sleepstudy.csvPath), categorical: ['Subject'] });
console.log(JSON.stringify({ fixef: Object.fromEntries(r.fixedEffects.map((f) => [f.name, f.estimate])), reml: r.fit.remlCriterion }));
`,
    );
    const ours = JSON.parse(node(['fit.mjs'])) as { fixef: Record<string, number>; reml: number };
    const lme4 = lme4Sleepstudy();
    expect(Object.keys(ours.fixef)).toEqual(Object.keys(lme4.fixef));
    for (const [name, value] of Object.entries(lme4.fixef)) expect(ours.fixef[name]!, name).toBeCloseTo(value, 4);
    expect(ours.reml).toBeCloseTo(lme4.reml, 4);
  });

  it('the installed glmm command writes the HTML report (Vega resolved from the installed tree)', () => {
    const out = join(project, 'report.html');
    execFileSync(process.execPath, [join(project, 'node_modules/@glmm/cli/bin/glmm.js'), 'example', '--format', 'html', '--output', out, '--quiet'], { cwd: project });
    const html = readFileSync(out, 'utf8');
    expect(html.match(/<figure class="plot"/g)!.length).toBeGreaterThanOrEqual(7);
    expect(node([join(project, 'node_modules/@glmm/cli/bin/glmm.js'), '--version']).trim()).toBe('0.1.0');
  });

  it("the installed packages' types resolve for a TypeScript user (nodenext)", () => {
    writeFileSync(
      join(project, 'check.ts'),
      `import { fitGlmm, readCsvFile, type GlmmResults } from '@glmm/glmm';
import { renderText } from '@glmm/report';
const r: GlmmResults = fitGlmm({ formula: 'y ~ x + (1 | g)', data: readCsvFile('x.csv') });
export const text: string = renderText(r);
export const estimate: number = r.fixedEffects[0]!.estimate;
// @ts-expect-error nobs is a number: this line fails to compile only if the types are real (not any).
export const wrong: string = r.nobs;
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['check.ts'] }),
    );
    expect(node([join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', project])).toBe('');
  });
});
