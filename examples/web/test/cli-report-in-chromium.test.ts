import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '@glmm/cli';
import { examples } from '@glmm/datasets';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from './chromium.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const dir = mkdtempSync(join(tmpdir(), 'glmm-html-report-'));

/** Runs the glmm command in-process and returns its exit code and stderr. */
async function glmm(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(argv, { stdout: () => {}, stderr: (s) => void (stderr += s) });
  return { code, stderr };
}

/**
 * Random slopes on data whose names are hostile: the grouping column is
 * called <img src=x onerror=alert(1)>, its levels include that and a&b, and
 * the slope's predictor is the column a&b.  Seeded, so the fit is the same
 * every run.
 */
function hostileCsv(): string {
  let seed = 12345;
  const u = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const z = (): number => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
  const levels = [HOSTILE, 'a&b', ...Array.from({ length: 10 }, (_, k) => `g${k}`)];
  const lines = [`y,a&b,"${HOSTILE}"`];
  for (const level of levels) {
    const b0 = 2 * z();
    const b1 = 0.5 * z();
    for (let j = 0; j < 8; j++) lines.push(`${(10 + b0 + (1 + b1) * j + z()).toFixed(4)},${j},"${level}"`);
  }
  return `${lines.join('\n')}\n`;
}

interface PageReport {
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
  figures: { kind: string; marks: number }[];
  tables: number;
  images: number;
  text: string;
}

/** Opens a report file, collects what the page did, and keeps a screenshot. */
async function openReport(page: Page, file: string, screenshot: string): Promise<PageReport> {
  const url = pathToFileURL(file).href;
  const report: PageReport = { consoleErrors: [], requests: [], dialogs: [], figures: [], tables: 0, images: 0, text: '' };
  page.on('console', (m) => {
    if (m.type() === 'error') report.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => report.consoleErrors.push(e.message));
  page.on('request', (r) => {
    if (r.url() !== url) report.requests.push(r.url());
  });
  page.on('dialog', async (d) => {
    report.dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  report.figures = await page.$$eval('figure.plot', (figs) =>
    figs.map((f) => ({
      kind: f.getAttribute('data-kind') ?? '',
      // Vega's marks: symbols, rectangles, lines and areas are paths, rules are lines; not the axes' or frames'.
      marks: f.querySelectorAll('svg g.role-mark path, svg g.role-mark line').length,
    })),
  );
  report.tables = await page.locator('table').count();
  report.images = await page.locator('img').count();
  report.text = (await page.textContent('body')) ?? '';
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
  return report;
}

describe("the CLI's HTML report in Chromium", () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a random-slopes fit: at least 7 plots with marks, 5 tables, no error, no request', async () => {
    const out = join(dir, 'sleepstudy.html');
    const run = await glmm([
      'fit', '--data', examples.sleepstudy.csvPath, '--formula', 'Reaction ~ Days + (Days | Subject)',
      '--categorical', 'Subject', '--format', 'html', '--output', out, '--quiet',
    ]);
    expect(run).toEqual({ code: 0, stderr: '' });
    const page = await browser.context.newPage();
    const r = await openReport(page, out, 'html-report-sleepstudy-slopes.png');
    expect(r.consoleErrors).toEqual([]);
    expect(r.requests).toEqual([]);
    expect(r.figures.length).toBeGreaterThanOrEqual(7);
    expect(r.figures.filter((f) => f.marks === 0)).toEqual([]);
    expect(r.figures.map((f) => f.kind)).toContain('group-lines');
    expect(r.tables).toBeGreaterThanOrEqual(5);
    console.log(
      `sleepstudy slopes report: ${(readFileSync(out).length / 1024).toFixed(0)} KiB, ` +
        `${r.figures.length} plots (${r.figures.map((f) => `${f.kind} ${f.marks}`).join(', ')}), ${r.tables} tables`,
    );
    await page.close();
  });

  it(`names like ${HOSTILE} and a&b appear as text and run nothing`, async () => {
    const data = join(dir, 'hostile.csv');
    writeFileSync(data, hostileCsv());
    const out = join(dir, 'hostile.html');
    const run = await glmm(['fit', '--data', data, '--formula', `y ~ \`a&b\` + (\`a&b\` | \`${HOSTILE}\`)`, '--format', 'html', '--output', out, '--quiet']);
    expect(run).toEqual({ code: 0, stderr: '' });
    const page = await browser.context.newPage();
    const r = await openReport(page, out, 'html-report-hostile-names.png');
    expect(r.dialogs).toEqual([]);
    expect(r.images).toBe(0);
    expect(r.requests).toEqual([]);
    expect(r.consoleErrors).toEqual([]);
    // As text: the grouping factor's name, a level, the predictor and its coefficient.
    expect(r.text).toContain(`${HOSTILE}, 12`);
    expect(r.text).toContain(`Fitted lines per ${HOSTILE} over \`a&b\``);
    // The level a&b in the BLUP table, the coefficient `a&b` in the fixed effects.
    expect(await page.locator('td', { hasText: /^a&b$/ }).count()).toBe(1);
    expect(await page.locator('td', { hasText: /^`a&b`$/ }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('td', { hasText: new RegExp(`^${HOSTILE.replace(/[()]/g, '\\$&')}$`) }).count()).toBeGreaterThanOrEqual(1);
    await page.close();
  });
});
