/** SVG charts of the monitor webviews, built with the DOM (no HTML strings): lines and a state timeline. */
import type { Points } from '../../src/shared/monitorProtocol';
import { el } from '../dom';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 64;

function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** "12", "3.4", "1.2k": a compact axis label. */
export function compact(n: number): string {
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (Math.abs(n) >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A titled line chart of one or two series over [since, now]; `lines` are CSS classes that color them. */
export function lineChart(title: string, series: Array<{ points: Points; className: string; label: string }>, since: number, now: number, unit = ''): HTMLElement {
  const figure = el('figure', 'chart');
  const caption = el('figcaption', 'chart-title');
  caption.append(el('span', undefined, title));
  for (const s of series) {
    const last = s.points[s.points.length - 1];
    caption.append(el('span', `legend ${s.className}`, `${s.label} ${last === undefined ? '—' : `${compact(last[1])}${unit}`}`));
  }
  figure.append(caption);
  const all = series.flatMap((s) => s.points.map(([, v]) => v));
  if (all.length === 0) {
    figure.append(el('div', 'chart-empty', 'No samples yet'));
    return figure;
  }
  // The window starts at the oldest sample (at most `since`): a young history fills the width.
  const first = Math.min(...series.flatMap((s) => s.points.map(([t]) => t)));
  const start = Math.max(since, Math.min(first, now - 60_000));
  const max = Math.max(...all, 0);
  const min = Math.min(...all, 0);
  const span = max - min || 1;
  const svg = svgElement('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', class: 'chart-svg', role: 'img', 'aria-label': `${title}, latest ${all[all.length - 1] ?? ''}` });
  svg.append(svgElement('line', { x1: '0', x2: String(WIDTH), y1: String(HEIGHT - 0.5), y2: String(HEIGHT - 0.5), class: 'chart-axis' }));
  const x = (t: number): number => ((t - start) / Math.max(1, now - start)) * WIDTH;
  const y = (v: number): number => HEIGHT - 2 - ((v - min) / span) * (HEIGHT - 4);
  for (const s of series) {
    if (s.points.length === 0) continue;
    const points = s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    // One sample: a short dash ending at it, so it shows.
    const [t0, v0] = s.points[0] ?? [now, 0];
    const single = `${(x(t0) - 4).toFixed(1)},${y(v0).toFixed(1)} ${points}`;
    svg.append(svgElement('polyline', { points: s.points.length === 1 ? single : points, class: `chart-line ${s.className}`, 'vector-effect': 'non-scaling-stroke' }));
  }
  figure.append(svg);
  const axis = el('div', 'chart-scale');
  axis.append(el('span', undefined, `max ${compact(max)}${unit}`), el('span', undefined, `since ${new Date(start).toLocaleTimeString()}`));
  figure.append(axis);
  return figure;
}

/** A bar of colored spans, one per state, from `since` to `now`; the title of each span says what it was. */
export function stateTimeline(changes: Array<{ at: number; state: string; reason: string | undefined }>, since: number, now: number): HTMLElement {
  const bar = el('div', 'timeline');
  bar.setAttribute('role', 'img');
  const from = Math.max(since, changes[0]?.at ?? since);
  const spans = changes.map((c, i) => ({ ...c, start: Math.max(from, c.at), end: changes[i + 1]?.at ?? now })).filter((s) => s.end > from);
  bar.setAttribute('aria-label', `States: ${spans.map((s) => s.state).join(', ') || 'none'}`);
  for (const span of spans) {
    const part = el('span', `timeline-part state-${span.state}`);
    part.style.width = `${(((span.end - span.start) / Math.max(1, now - from)) * 100).toFixed(3)}%`;
    part.title = `${span.state} at ${new Date(span.at).toLocaleTimeString()}${span.reason ? `: ${span.reason}` : ''}`;
    bar.append(part);
  }
  return bar;
}
