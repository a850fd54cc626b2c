import { escapeHtml } from './html-escape.js';
import { formatNumber } from './format.js';

/** Inline SVG charts for the HTML report: no scripts, no external assets. */

const WIDTH = 420;
const HEIGHT = 300;
const MARGIN = { left: 56, right: 12, top: 28, bottom: 44 };
/** Above this many points the scatter shows an evenly spaced subset, to keep the file small. */
export const MAX_SCATTER_POINTS = 5000;

interface Scale {
  (v: number): number;
  ticks: number[];
}

function linearScale(min: number, max: number, from: number, to: number): Scale {
  if (!(max > min)) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const scale = ((v: number) => from + ((v - min) / (max - min)) * (to - from)) as Scale;
  scale.ticks = niceTicks(min, max, 5);
  return scale;
}

function niceTicks(min: number, max: number, count: number): number[] {
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function axes(x: Scale, y: Scale, xLabel: string, yLabel: string, title: string): string {
  const bottom = HEIGHT - MARGIN.bottom;
  const parts: string[] = [];
  parts.push(`<text x="${WIDTH / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeHtml(title)}</text>`);
  parts.push(`<line x1="${MARGIN.left}" y1="${bottom}" x2="${WIDTH - MARGIN.right}" y2="${bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}" stroke="#333"/>`);
  for (const t of x.ticks) {
    const px = x(t).toFixed(1);
    parts.push(`<line x1="${px}" y1="${bottom}" x2="${px}" y2="${bottom + 4}" stroke="#333"/>`);
    parts.push(`<text x="${px}" y="${bottom + 16}" text-anchor="middle">${escapeHtml(formatNumber(t, 3))}</text>`);
  }
  for (const t of y.ticks) {
    const py = y(t).toFixed(1);
    parts.push(`<line x1="${MARGIN.left - 4}" y1="${py}" x2="${MARGIN.left}" y2="${py}" stroke="#333"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatNumber(t, 3))}</text>`);
  }
  parts.push(`<text x="${WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(xLabel)}</text>`);
  parts.push(
    `<text x="14" y="${HEIGHT / 2}" text-anchor="middle" transform="rotate(-90 14 ${HEIGHT / 2})">${escapeHtml(yLabel)}</text>`,
  );
  return parts.join('');
}

function svgOpen(label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(label)}" font-family="sans-serif" font-size="11">`;
}

/** Scatter plot of y against x with a dashed zero line (residuals against fitted values). */
export function scatterSvg(xs: readonly number[], ys: readonly number[], title: string, xLabel: string, yLabel: string): string {
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const x = linearScale(x0, x1, MARGIN.left + 6, WIDTH - MARGIN.right - 6);
  const y = linearScale(Math.min(y0, 0), Math.max(y1, 0), HEIGHT - MARGIN.bottom - 6, MARGIN.top + 6);
  const stride = Math.max(1, Math.ceil(xs.length / MAX_SCATTER_POINTS));
  const dots: string[] = [];
  for (let i = 0; i < xs.length; i += stride) {
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!)) continue;
    dots.push(`<circle cx="${x(xs[i]!).toFixed(1)}" cy="${y(ys[i]!).toFixed(1)}" r="2"/>`);
  }
  const zero = y(0).toFixed(1);
  return (
    svgOpen(title) +
    axes(x, y, xLabel, yLabel, title) +
    `<line x1="${MARGIN.left}" y1="${zero}" x2="${WIDTH - MARGIN.right}" y2="${zero}" stroke="#c33" stroke-dasharray="4 3"/>` +
    `<g fill="#2a6db0" fill-opacity="0.6">${dots.join('')}</g></svg>`
  );
}

/** Histogram with Sturges' number of bins. */
export function histogramSvg(values: readonly number[], title: string, xLabel: string): string {
  const finite = values.filter((v) => Number.isFinite(v));
  const [lo, hi] = extent(finite);
  const bins = Math.max(1, Math.ceil(Math.log2(Math.max(finite.length, 1)) + 1));
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  const x = linearScale(lo, hi > lo ? hi : lo + width, MARGIN.left, WIDTH - MARGIN.right);
  const y = linearScale(0, Math.max(1, ...counts), HEIGHT - MARGIN.bottom, MARGIN.top);
  const bars = counts.map((c, b) => {
    const left = x(lo + b * width);
    const right = x(lo + (b + 1) * width);
    const top = y(c);
    return `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(0, right - left - 1).toFixed(1)}" height="${(y(0) - top).toFixed(1)}"/>`;
  });
  return svgOpen(title) + axes(x, y, xLabel, 'count', title) + `<g fill="#2a6db0">${bars.join('')}</g></svg>`;
}
