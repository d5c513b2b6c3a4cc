import { el } from '../dom';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 120;

/** One line of a chart: a label, a CSS class (its colour) and its values (undefined: no point). */
export interface ChartLine {
  label: string;
  className: string;
  values: ReadonlyArray<number | undefined>;
}

/** A small SVG line chart over time with a legend and its scale; labels are textContent. */
export class LineChart {
  readonly element = el('section', 'chart');
  private readonly svg = document.createElementNS(SVG, 'svg');
  private readonly legend = el('div', 'chart-legend');
  private readonly scale = el('span', 'chart-scale');
  private readonly polylines = new Map<string, SVGPolylineElement>();

  constructor(
    title: string,
    private readonly unit: string,
  ) {
    const header = el('div', 'chart-header');
    header.append(el('h3', 'chart-title', title), this.scale);
    this.svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    this.svg.setAttribute('preserveAspectRatio', 'none');
    this.svg.setAttribute('role', 'img');
    this.svg.setAttribute('aria-label', title);
    this.element.append(header, this.svg, this.legend);
  }

  /** Redraws every line; the vertical scale fits the largest value. */
  draw(lines: readonly ChartLine[]): void {
    const max = Math.max(1e-9, ...lines.flatMap((line) => line.values.filter((v): v is number => v !== undefined)));
    const count = Math.max(2, ...lines.map((line) => line.values.length));
    this.scale.textContent = `max ${formatValue(max)} ${this.unit}`;
    this.legend.replaceChildren(...lines.map((line) => el('span', `legend ${line.className}`, line.label)));
    for (const line of lines) {
      let polyline = this.polylines.get(line.label);
      if (!polyline) {
        polyline = document.createElementNS(SVG, 'polyline');
        polyline.setAttribute('class', `line ${line.className}`);
        polyline.setAttribute('vector-effect', 'non-scaling-stroke');
        this.svg.append(polyline);
        this.polylines.set(line.label, polyline);
      }
      const points: string[] = [];
      line.values.forEach((value, i) => {
        if (value !== undefined) points.push(`${((i / (count - 1)) * WIDTH).toFixed(1)},${(HEIGHT - (value / max) * (HEIGHT - 4) - 2).toFixed(1)}`);
      });
      polyline.setAttribute('points', points.join(' '));
    }
  }
}

/** 12,345 / 3.21 / 0.012: a number for a tile or a scale. */
export function formatValue(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 1) return value.toFixed(1);
  return value.toPrecision(2);
}
