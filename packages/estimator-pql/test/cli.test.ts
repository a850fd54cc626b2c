import { runCli } from '@glmm/cli';
import { describe, expect, it } from 'vitest';
import { plCases } from './pl-reference.js';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: {} });
  return { code, stdout, stderr };
}

describe('glmm fit --method pql | mpl | rempl', () => {
  const cbpp = plCases().find((c) => c.name === 'cbpp/pql_estimated')!;
  const args = ['fit', '--data', cbpp.csvPath, '--formula', cbpp.reference.formula, '--family', 'binomial', '--categorical', 'period,herd'];

  for (const [method, label] of [
    ['pql', 'PQL'],
    ['mpl', 'MPL'],
    ['rempl', 'REMPL'],
  ] as const) {
    it(`--method ${method} prints the ${label} fit as JSON, with the pseudo-likelihood note`, async () => {
      const r = await run([...args, '--method', method, '--format', 'json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as { method: string; warnings: { code: string }[]; fixedEffects: { estimate: number }[] };
      expect(json.method).toBe(label);
      expect(json.warnings.map((w) => w.code)).toContain('pseudo-likelihood');
      if (method === 'pql') expect(json.fixedEffects[0]!.estimate).toBeCloseTo(cbpp.reference.fixef[0]!.estimate, 4);
    });
  }

  it('the text summary names the method and carries the note', async () => {
    const r = await run([...args, '--method', 'mpl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MPL/);
    expect(r.stdout).toMatch(/pseudo log-likelihood/);
  });

  it('glmm fit --help lists the methods', async () => {
    const r = await run(['fit', '--help']);
    expect(r.stdout).toMatch(/pql, mpl, rempl/);
  });
});
