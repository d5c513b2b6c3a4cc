import type { HistoryRow, ToWebview } from '../../src/shared/protocol';
import { custom, debounce, el } from '../dom';
import { formatTime } from '../format';
import { nextRequestId, post } from '../messaging';

type Series = Extract<ToWebview, { type: 'series' }>;
type ValueElement = HTMLElement & { value: string };

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 90;
/** Newer points are fetched at most this often while messages arrive on the charted topic. */
const REFRESH_MS = 1000;

const numberText = (n: number): string => (Number.isInteger(n) ? String(n) : n.toPrecision(6).replace(/\.?0+$/, ''));

/**
 * A small line chart of one topic over the history: the payload as a number, or the number at a JSON path
 * ("reading.temp"). The host extracts the points; the chart draws them as an SVG polyline (no HTML from
 * broker data: labels are textContent).
 */
export class Chart {
  /** The chart's root element. */
  readonly element = el('section', 'chart');
  private readonly path = custom('vscode-text-field', 'chart-path') as ValueElement;
  private readonly summary = el('span', 'chart-summary');
  private readonly watch = custom('vscode-button', 'chart-watch', 'Watch This Value');
  private readonly svg = document.createElementNS(SVG, 'svg');
  private readonly line = document.createElementNS(SVG, 'polyline');
  private readonly axis = el('div', 'chart-axis');
  private readonly message = el('div', 'chart-message');
  /** Paths the user typed, by topic, so moving between messages of a topic keeps the chosen path. */
  private readonly chosenPaths = new Map<string, string>();
  private row: HistoryRow | undefined;
  private requestId = -1;
  private lastRefresh = 0;

  constructor() {
    this.element.setAttribute('aria-label', 'Chart');
    this.path.setAttribute('placeholder', 'JSON path, e.g. reading.temp (empty: the payload is a number)');
    this.path.setAttribute('aria-label', 'Value path');
    const header = el('div', 'chart-header');
    this.watch.setAttribute('appearance', 'secondary');
    this.watch.title = 'Pin this value of the topic in the Watches view (setting mqttWorkbench.watches)';
    this.watch.addEventListener('click', () => this.row && post({ type: 'watchValue', id: this.row.id, path: this.path.value.trim() }));
    header.append(el('span', 'chart-title', 'Chart'), this.path, this.summary, this.watch);
    this.svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    this.svg.setAttribute('preserveAspectRatio', 'none');
    this.svg.setAttribute('role', 'img');
    this.svg.classList.add('chart-plot');
    this.line.setAttribute('vector-effect', 'non-scaling-stroke');
    this.svg.appendChild(this.line);
    this.element.append(header, this.svg, this.axis, this.message);
    const typed = debounce(() => {
      if (!this.row) return;
      this.chosenPaths.set(this.row.topic, this.path.value.trim());
      this.request();
    }, 250);
    this.path.addEventListener('input', typed);
    this.element.hidden = true;
  }

  /** Charts the topic of `row`, with the path the user chose for it or the host's suggestion; hides when neither. */
  showFor(row: HistoryRow, suggestedPath: string | undefined): void {
    const path = this.chosenPaths.get(row.topic) ?? suggestedPath;
    this.row = row;
    this.element.hidden = path === undefined;
    if (path === undefined) return;
    if (this.path.value !== path) this.path.value = path;
    this.request();
  }

  hide(): void {
    this.row = undefined;
    this.element.hidden = true;
  }

  /** New messages arrived: fetch newer points, at most once a second. */
  refresh(): void {
    if (!this.row || this.element.hidden || Date.now() - this.lastRefresh < REFRESH_MS) return;
    this.request();
  }

  /** Draws the host's answer, if it answers the latest request. */
  receive(series: Series): void {
    if (series.requestId !== this.requestId) return;
    const values = series.points.map(([, v]) => v);
    this.message.hidden = series.error === undefined && values.length >= 2;
    this.message.textContent = series.error ?? (values.length < 2 ? `Not enough numbers to draw: ${values.length} on ${series.topic}${series.skipped ? `, ${series.skipped} message(s) without a number at this path` : ''}.` : '');
    this.line.setAttribute('points', values.length >= 2 ? polyline(series.points) : '');
    if (values.length === 0) {
      this.summary.textContent = '';
      this.axis.replaceChildren();
      return;
    }
    const min = Math.min(...values);
    const max = Math.max(...values);
    const last = values[values.length - 1];
    this.summary.textContent = `${values.length} points · min ${numberText(min)} · max ${numberText(max)} · last ${numberText(last)}${series.skipped ? ` · ${series.skipped} skipped` : ''}`;
    this.svg.setAttribute('aria-label', `${series.topic}: ${this.summary.textContent}`);
    const first = series.points[0];
    const end = series.points[series.points.length - 1];
    this.axis.replaceChildren(el('span', undefined, first ? formatTime(first[0]) : ''), el('span', undefined, end ? formatTime(end[0]) : ''));
  }

  private request(): void {
    if (!this.row) return;
    this.lastRefresh = Date.now();
    this.requestId = nextRequestId();
    post({ type: 'getSeries', requestId: this.requestId, id: this.row.id, path: this.path.value.trim() });
  }
}

/** Points scaled into the view box (time on x, value on y, a flat line in the middle when constant). */
function polyline(points: Array<[number, number]>): string {
  const t0 = points[0]?.[0] ?? 0;
  const t1 = points[points.length - 1]?.[0] ?? t0;
  const values = points.map(([, v]) => v);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = 4;
  const x = (t: number, i: number) => (t1 > t0 ? ((t - t0) / (t1 - t0)) * WIDTH : (i / (points.length - 1)) * WIDTH);
  const y = (v: number) => (max > min ? pad + (1 - (v - min) / (max - min)) * (HEIGHT - 2 * pad) : HEIGHT / 2);
  return points.map(([t, v], i) => `${x(t, i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
}
