import type { StructFieldRow } from '../../src/shared/structFields';
import { el } from '../dom';

const BYTES_PER_LINE = 16;

/**
 * A decoded C struct: its fields as an indented tree (offset, size, type, value) beside a hex view of the
 * payload. Pointing at or selecting a field highlights its bytes; clicking a byte selects the innermost
 * field that covers it. All text is set with textContent.
 */
export class StructView {
  /** The view's root element (hidden when the detail is not a C struct). */
  readonly element = el('div', 'struct-view');
  private readonly table = el('table', 'struct-fields');
  private readonly hex = el('div', 'struct-hex');
  private bytes: HTMLElement[] = [];
  private rowElements: Array<{ tr: HTMLTableRowElement; field: StructFieldRow }> = [];
  private selected: HTMLTableRowElement | undefined;

  constructor() {
    this.element.hidden = true;
    this.table.setAttribute('aria-label', 'C struct fields');
    this.hex.setAttribute('aria-label', 'Payload bytes');
    this.element.append(this.table, this.hex);
  }

  /** Shows fields and bytes, or hides the view when there are none. */
  show(fields: StructFieldRow[] | undefined, payloadHex: string | undefined): void {
    this.element.hidden = fields === undefined;
    this.table.replaceChildren();
    this.hex.replaceChildren();
    this.rowElements = [];
    this.selected = undefined;
    if (fields === undefined) return;
    this.renderHex(payloadHex ?? '');
    const head = el('tr');
    for (const title of ['Field', 'Type', 'Offset', 'Size', 'Value']) head.append(el('th', undefined, title));
    this.table.appendChild(el('thead')).appendChild(head);
    const body = this.table.appendChild(el('tbody'));
    for (const field of fields) {
      const tr = el('tr', field.missing === true ? 'struct-missing' : undefined);
      tr.tabIndex = 0;
      const name = el('td', 'struct-name', field.name);
      name.style.paddingLeft = `${8 + field.depth * 14}px`;
      const offset = field.bits !== undefined ? `${field.offset} bit ${field.bit ?? 0}` : String(field.offset);
      const size = field.bits !== undefined ? `${field.bits} bit${field.bits === 1 ? '' : 's'}` : String(field.size);
      tr.append(name, el('td', 'struct-type', field.type), el('td', 'struct-offset', offset), el('td', 'struct-size', size), el('td', 'struct-value', field.missing === true ? '(missing)' : (field.value ?? '')));
      tr.addEventListener('mouseenter', () => this.highlight(field));
      tr.addEventListener('mouseleave', () => this.highlight(this.selectedField()));
      tr.addEventListener('focus', () => this.select(tr, field));
      tr.addEventListener('click', () => this.select(tr, field));
      body.appendChild(tr);
      this.rowElements.push({ tr, field });
    }
  }

  private renderHex(hex: string): void {
    const count = Math.floor(hex.length / 2);
    this.bytes = [];
    for (let line = 0; line < count; line += BYTES_PER_LINE) {
      const row = el('div', 'struct-hex-line');
      row.append(el('span', 'struct-hex-offset', line.toString(16).padStart(4, '0')));
      for (let i = line; i < Math.min(count, line + BYTES_PER_LINE); i++) {
        const byte = el('span', 'struct-byte', hex.slice(i * 2, i * 2 + 2));
        byte.dataset.offset = String(i);
        byte.addEventListener('click', () => this.selectByte(i));
        this.bytes.push(byte);
        row.append(byte);
      }
      this.hex.append(row);
    }
  }

  private selectedField(): StructFieldRow | undefined {
    return this.rowElements.find((r) => r.tr === this.selected)?.field;
  }

  private select(tr: HTMLTableRowElement, field: StructFieldRow): void {
    this.selected?.classList.remove('selected');
    this.selected = tr;
    tr.classList.add('selected');
    this.highlight(field);
  }

  /** Selects the innermost (last listed, deepest) field covering byte `offset`. */
  private selectByte(offset: number): void {
    let best: { tr: HTMLTableRowElement; field: StructFieldRow } | undefined;
    for (const r of this.rowElements) {
      if (offset >= r.field.offset && offset < r.field.offset + r.field.size && (best === undefined || r.field.depth >= best.field.depth)) best = r;
    }
    if (best === undefined) return;
    this.select(best.tr, best.field);
    best.tr.scrollIntoView({ block: 'nearest' });
  }

  private highlight(field: StructFieldRow | undefined): void {
    this.bytes.forEach((byte, i) => byte.classList.toggle('highlighted', field !== undefined && i >= field.offset && i < field.offset + field.size));
  }
}
