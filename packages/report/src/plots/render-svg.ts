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
 * Renames the element ids of one SVG and the local references to them to
 * `<prefix>-<kind><n>`, numbered in order of appearance, so that several
 * plots can share one HTML document without one borrowing another's clip
 * path, and the same plot renders to the same text every time (Vega numbers
 * its clip paths with a counter that runs on across views).
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  const perKind = new Map<string, number>();
  const local = (id: string): string => {
    let name = renamed.get(id);
    if (name === undefined) {
      const kind = /^[A-Za-z_-]*/.exec(id)![0];
      const n = (perKind.get(kind) ?? 0) + 1;
      perKind.set(kind, n);
      name = `${prefix}-${kind}${n}`;
      renamed.set(id, name);
    }
    return name;
  };
  return svg.replace(/ id="([^"]+)"/g, (_, id: string) => ` id="${local(id)}"`).replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${local(id)})`);
}
