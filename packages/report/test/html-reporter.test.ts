import { describe, expect, it } from 'vitest';
import { buildResults, htmlReporter, renderHtml, reportRows } from '../src/index.js';
import { gaussianLike, handFit, handModel } from './hand-fit.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** The hand fit with user strings that must come out as text: a level, a group, a coefficient, the formula. */
function hostileResults() {
  const model = handModel();
  const fit = handFit();
  const levels = [HOSTILE, 'a&b'];
  const terms = [{ ...model.terms[0]!, levels }, model.terms[1]!];
  const modes = [{ ...fit.modes[0]!, levels }, fit.modes[1]!];
  const r = buildResults({ ...fit, modes }, { ...model, terms }, {
    formula: `y ~ x<3 + (1 + x | g) + (1 | ${HOSTILE})`,
    family: gaussianLike(),
    link: 'identity',
    fitSeconds: 0.25,
  });
  r.fixedEffects[1]!.name = 'x<script>alert("&")</script>';
  return r;
}

/** Tags opened and closed in order, ignoring void and self-closed ones. */
function unbalancedTags(html: string): string[] {
  const stack: string[] = [];
  const voids = new Set(['meta', 'br']);
  const problems: string[] = [];
  for (const m of html.replace(/<!DOCTYPE html>/, '').matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, tag, selfClose] = m;
    if (selfClose || (voids.has(tag!) && !close)) continue;
    if (close) {
      const open = stack.pop();
      if (open !== tag) problems.push(`</${tag}> closes <${open}>`);
    } else stack.push(tag!);
  }
  return [...problems, ...stack.map((t) => `<${t}> not closed`)];
}

describe('html reporter', async () => {
  const r = hostileResults();
  const html = await renderHtml(r, reportRows(r));
  const figures = [...html.matchAll(/<figure class="plot" data-kind="([a-z-]+)">([\s\S]*?)<\/figure>/g)];

  it('is one self-contained page: no script, no external resource, a policy that allows none', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed|img)\b/i);
    expect(html).not.toMatch(/<[^>]*\s(src|href)\s*=/i);
    // Only references inside the page (clip paths), each id once.
    expect(html).not.toMatch(/url\((?!#)/i);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(unbalancedTags(html)).toEqual([]);
  });

  it('has the tables of fitglme and MIDAS', () => {
    for (const h of ['Model information', 'Random effects', 'Intraclass correlation (at covariates = 0)', 'Fixed effects', 'Model fit', 'Excluded rows', 'Random-effect predictions (BLUPs)']) {
      expect(html).toContain(`<h2>${h}</h2>`);
    }
    // Model information, random effects, ICC, fixed effects, model fit, exclusions, a BLUP table per grouping factor.
    expect(html.match(/<table>/g)).toHaveLength(8);
    expect(html).toContain('<td>Fixed effects coefficients</td><td class="num">2</td>');
    expect(html).toContain('<td>Random effects coefficients</td><td class="num">7</td>');
    // theta (4) and the residual variance, as fitlme counts them.
    expect(html).toContain('<td>Covariance parameters</td><td class="num">5</td>');
    expect(html).toContain('<td>large group effect (0.20-0.50)</td>');
    expect(html).toContain('<td>missing</td><td class="num">1</td><td>4 (x)</td>');
  });

  it('draws the diagnostic plots, each with marks', () => {
    expect(figures.map((f) => f[1])).toEqual([
      'residuals-fitted',
      'histogram',
      'qq',
      'lagged',
      'caterpillar',
      'caterpillar',
      'caterpillar',
      'observed-fitted',
      'group-lines',
    ]);
    for (const [, kind, body] of figures) {
      expect(body, kind).toMatch(/^\s*<svg /);
      expect((body!.match(/<path /g) ?? []).length, kind).toBeGreaterThan(3);
    }
    // Six rows: six points in the residual plot.
    const scatter = figures[0]![2]!;
    expect(scatter.match(/class="mark-symbol role-mark/g)).toHaveLength(1);
  });

  it('escapes user strings in tables, captions and plot labels alike', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<td>x&lt;script&gt;alert(&quot;&amp;&quot;)&lt;/script&gt;</td>');
    expect(html).toContain('y ~ x&lt;3');
    expect(html).toContain('<td>a&amp;b</td>');
    // The caterpillar plot names the levels on its axis, as SVG text.
    const caterpillar = figures.find((f) => f[1] === 'caterpillar')![2]!;
    expect(caterpillar).toContain('>a&amp;b</text>');
    // Vega shortens long axis labels; what is left is still escaped text.
    expect(caterpillar).toContain('>&lt;img src=x onerror=al…</text>');
    expect(html).not.toMatch(/aria-label="[^"]*</);
  });

  it('leaves out the per-group lines, and says so, for results without their rows (read back from JSON with the diagnostics inline)', async () => {
    const fromJson = JSON.parse(JSON.stringify({ ...r, diagnosticsOutput: { ...r.diagnosticsOutput, inline: true } })) as typeof r;
    expect(fromJson.diagnostics.fitted).toHaveLength(r.nobs);
    const page = await htmlReporter.render(fromJson);
    expect(page).not.toContain('data-kind="group-lines"');
    expect(page).toContain('Fitted lines per group need the fit');
  });

  it("with t statistics, the fixed effects get lmerTest's df column and t headers", async () => {
    const t = { ...r, dfMethod: 'satterthwaite' as const, fixedEffects: r.fixedEffects.map((f) => ({ ...f, df: 4.2 })) };
    const page = await htmlReporter.render(t);
    expect(page).toContain('<th scope="col">df</th><th scope="col">t value</th><th scope="col">Pr(&gt;|t|)</th>');
    expect(page).toContain("from t with Satterthwaite&#39;s degrees of freedom");
  });

  it('draws the caterpillar plots, and says why there is no residual plot, for results without per-row diagnostics', async () => {
    // The JSON contract (version 2) leaves them out unless asked for inline.
    const withoutRows = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
    expect(withoutRows).not.toHaveProperty('diagnostics');
    const page = await htmlReporter.render(withoutRows as unknown as typeof r);
    expect([...page.matchAll(/data-kind="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['caterpillar', 'caterpillar', 'caterpillar']);
    expect(page).toContain('The residual plots need per-row diagnostics');
    expect(page.match(/<table>/g)).toHaveLength(8);
  });
});
