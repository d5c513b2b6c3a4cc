import type { HistoryRow } from '../../src/shared/protocol';
import { el } from '../dom';
import { formatSize, formatTime } from '../format';

/** Height of one list row in pixels, as in VS Code's own lists. */
export const ROW_HEIGHT = 22;

/** Column classes, in display order; the header and every row use the same grid. */
export const COLUMNS = [
  { className: 'col-time', label: 'Time' },
  { className: 'col-dir', label: '' },
  { className: 'col-topic', label: 'Topic' },
  { className: 'col-qos', label: 'QoS' },
  { className: 'col-flags', label: 'Flags' },
  { className: 'col-size', label: 'Size' },
  { className: 'col-preview', label: 'Payload' },
] as const;

/** One recycled row element of the virtual list and what it currently shows. */
export interface RowElement {
  root: HTMLElement;
  cells: HTMLElement[];
  /** Stable index shown, or -1 when unused. */
  index: number;
  row: HistoryRow | undefined;
  selected: boolean;
}

/** Creates an empty row element (added to the DOM once, then reused for any index). */
export function createRowElement(): RowElement {
  const root = el('div', 'row');
  root.setAttribute('role', 'option');
  const cells = COLUMNS.map((c) => root.appendChild(el('span', `cell ${c.className}`)));
  return { root, cells, index: -1, row: undefined, selected: false };
}

/** Creates the header row with the column titles. */
export function createHeader(): HTMLElement {
  const header = el('div', 'row list-header');
  header.setAttribute('aria-hidden', 'true');
  for (const c of COLUMNS) header.appendChild(el('span', `cell ${c.className}`, c.label));
  return header;
}

/**
 * Shows `row` (or a placeholder while it loads) at stable `index` in a recycled element. Only what changed
 * is written; every value is set as text, never parsed as HTML.
 */
export function updateRowElement(element: RowElement, index: number, row: HistoryRow | undefined, selected: boolean): void {
  if (element.index !== index || element.row !== row) {
    element.index = index;
    element.row = row;
    element.root.dataset.index = String(index);
    const [time, dir, topic, qos, flags, size, preview] = element.cells;
    if (row) {
      time.textContent = formatTime(row.time);
      dir.textContent = row.direction === 'in' ? '↓' : '↑';
      dir.className = `cell col-dir dir-${row.direction}`;
      dir.title = row.direction === 'in' ? 'Received' : 'Published';
      topic.textContent = row.topic;
      qos.textContent = String(row.qos);
      flags.textContent = `${row.retain ? 'R' : ''}${row.dup ? 'D' : ''}`;
      flags.title = [row.retain ? 'Retained' : '', row.dup ? 'Duplicate' : ''].filter(Boolean).join(', ');
      size.textContent = formatSize(row.size);
      preview.textContent = row.preview;
      element.root.classList.remove('loading');
    } else {
      for (const cell of element.cells) cell.textContent = '';
      dir.title = '';
      flags.title = '';
      element.root.classList.add('loading');
    }
  }
  if (element.selected !== selected) {
    element.selected = selected;
    element.root.classList.toggle('selected', selected);
    element.root.setAttribute('aria-selected', String(selected));
  }
}
