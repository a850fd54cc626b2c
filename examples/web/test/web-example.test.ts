import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examples } from '@glmm/datasets';
import { fitGlmm, readCsvFile } from '@glmm/glmm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ES modules of the example, without declarations
import { buildWebExample, formatSizes } from '../build.mjs';
// @ts-expect-error plain ES modules of the example, without declarations
import { startStaticServer } from '../serve.mjs';
import type { FitNumbers } from '../src/fit-messages.js';
import { ARTIFACTS, launchChromium } from './chromium.js';

const CBPP = {
  formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
  family: 'binomial',
  categorical: ['herd', 'period'],
};

describe('the web example fits in a Web Worker in Chromium', () => {
  let site: string;
  let server: { url: string; close: () => Promise<void> };
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    site = mkdtempSync(join(tmpdir(), 'glmm-web-'));
    const { sizes } = await buildWebExample(site);
    console.log(`web example bundle (esbuild, minified):\n${formatSizes(sizes)}`);
    server = await startStaticServer(site);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  async function fitInPage(p: Page): Promise<FitNumbers> {
    await p.setInputFiles('#csv', examples.cbpp.csvPath);
    await p.waitForFunction(() => document.getElementById('file-name')?.textContent === 'cbpp.csv');
    await p.fill('#formula', CBPP.formula);
    await p.selectOption('#family', CBPP.family);
    await p.fill('#categorical', CBPP.categorical.join(', '));
    await p.click('#fit');
    await p.waitForSelector('#numbers[data-json]', { state: 'attached', timeout: 240_000 });
    return JSON.parse((await p.getAttribute('#numbers', 'data-json'))!) as FitNumbers;
  }

  it("fits cbpp's binomial model to within 1e-8 of the Node fit, and shows the report", async () => {
    const started = performance.now();
    const browserNumbers = await fitInPage(page);
    const pageSeconds = (performance.now() - started) / 1000;

    // Both first fits of their process: the worker's is its first too.
    const node = fitGlmm({ ...CBPP, data: readCsvFile(examples.cbpp.csvPath) });
    const warm = fitGlmm({ ...CBPP, data: readCsvFile(examples.cbpp.csvPath) });
    console.log(
      `cbpp binomial GLMM, timing.fitSeconds: ${browserNumbers.fitSeconds.toFixed(3)} s in Chromium's worker ` +
        `(${pageSeconds.toFixed(2)} s from the click to the drawn report); in Node ${node.timing.fitSeconds.toFixed(3)} s ` +
        `for the first fit (under vitest, modules from TypeScript source), ${warm.timing.fitSeconds.toFixed(3)} s for the second`,
    );

    expect(browserNumbers.fixedEffects.map((f) => f.name)).toEqual(node.fixedEffects.map((f) => f.name));
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-8 * Math.max(1, Math.abs(b));
    node.fixedEffects.forEach((f, i) => {
      expect(close(browserNumbers.fixedEffects[i]!.estimate, f.estimate), `${f.name} estimate`).toBe(true);
      expect(close(browserNumbers.fixedEffects[i]!.stdError, f.stdError), `${f.name} SE`).toBe(true);
    });
    node.theta.forEach((t, i) => expect(close(browserNumbers.theta[i]!, t), `theta[${i}]`).toBe(true));
    expect(close(browserNumbers.logLik, node.fit.logLik)).toBe(true);
    // lme4: logLik -92.02628 (packages/datasets/fixtures/cbpp_binomial_laplace).
    expect(browserNumbers.logLik).toBeCloseTo(-92.02628, 3);

    const frame = page.frameLocator('#report');
    await expect.poll(() => frame.locator('figure.plot').count()).toBeGreaterThanOrEqual(6);
    expect(await frame.locator('table').count()).toBeGreaterThanOrEqual(5);
    expect(await frame.locator('h1').textContent()).toBe('Generalized linear mixed model fit by maximum likelihood (Laplace Approximation)');
    expect(await page.textContent('#status')).toMatch(/^done in /);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-example-cbpp.png'), fullPage: true });
  });

  it('asked nothing of any server but its own, and logged no error', () => {
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('a bad formula comes back as the library\'s one-line error', async () => {
    await page.fill('#formula', 'cbind(incidence, size - incidence) ~ perod + (1 | herd)');
    await page.click('#fit');
    await expect.poll(() => page.textContent('#status'), { timeout: 60_000 }).toMatch(/^error: .*perod/);
  });
});
