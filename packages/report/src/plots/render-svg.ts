import type { TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite specification to an SVG string with Vega's headless
 * renderer: no DOM, no canvas, no network.  Vega and Vega-Lite are loaded on
 * first use, so a text or JSON report never pays for them.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ compile }, { View, parse }] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega writes coordinates with full double precision; a tenth of a pixel is
 * plenty and shrinks a scatter plot's SVG by a fifth.  Only the geometry
 * attributes are touched: text content (labels, titles) stays as Vega wrote it.
 */
export function compactSvg(svg: string): string {
  return svg.replace(/ (transform|d|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g, (_, name: string, value: string) => {
    const rounded = value.replace(/-?\d*\.\d+(?:e[-+]?\d+)?/g, (n) => {
      const r = Math.round(Number(n) * 10) / 10;
      return String(Object.is(r, -0) ? 0 : r);
    });
    return ` ${name}="${rounded}"`;
  });
}

/**
 * Prefixes the element ids of one SVG (Vega numbers its clip paths from 1 in
 * every view) and the local references to them, so that several plots can
 * share one HTML document without one borrowing another's clip path.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg.replace(/ id="([^"]+)"/g, ` id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`);
}
