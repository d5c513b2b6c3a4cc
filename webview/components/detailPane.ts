import type { CodecOption, HistoryRow, ToWebview } from '../../src/shared/protocol';
import { custom, el } from '../dom';
import { formatDateTime, formatSize } from '../format';
import { post } from '../messaging';
import { Chart } from './chart';
import { highlightJson } from './jsonHighlight';
import { StructView } from './structView';

type Detail = Extract<ToWebview, { type: 'detail' }>;
type ValueElement = HTMLElement & { value: string };

/**
 * The detail pane of the selected message: its fields, a codec selector, the decoded payload (or the
 * decode error with its position), notes, MQTT 5 properties, and copy / open / compare actions.
 */
export class DetailPane {
  /** The pane's root element. */
  readonly element = el('section', 'detail');
  private readonly codecSelect = custom('vscode-dropdown', 'detail-codec') as ValueElement;
  private readonly decodedAs = el('span', 'detail-decoded-as');
  private readonly fields = el('dl', 'detail-fields');
  private readonly error = el('div', 'detail-error');
  private readonly notes = el('ul', 'detail-notes');
  private readonly payload = el('pre', 'detail-payload');
  private readonly properties = el('table', 'detail-properties');
  private readonly struct = new StructView();
  private readonly header = el('div', 'detail-header');
  private readonly body = el('div', 'detail-body');
  private readonly placeholder = el('div', 'detail-empty', 'Select a message to see its payload.');
  private readonly loading = custom('vscode-progress-ring', 'detail-loading');
  /** The chart of the selected message's topic. */
  readonly chart = new Chart();
  private shown: HistoryRow | undefined;

  /** Codec id -> the label the format selector shows ("C struct" for cstruct). */
  private codecLabels = new Map<string, string>();

  constructor(private codec: string, private readonly codecChanged: (codec: string) => void) {
    this.element.setAttribute('aria-label', 'Message detail');
    this.element.tabIndex = -1;
    const label = el('label', 'detail-codec-label', 'Format');
    const actions = el('div', 'detail-actions');
    const action = (text: string, title: string, send: (id: number) => void): void => {
      const button = custom('vscode-button', undefined, text);
      button.setAttribute('appearance', 'secondary');
      button.title = title;
      button.addEventListener('click', () => {
        if (this.shown) send(this.shown.id);
      });
      actions.appendChild(button);
    };
    action('Copy Raw', 'Copy the payload bytes as text', (id) => post({ type: 'copy', id, what: 'raw', codec: this.codec }));
    action('Copy Formatted', 'Copy the payload as shown', (id) => post({ type: 'copy', id, what: 'formatted', codec: this.codec }));
    action('Open in Editor', 'Open the formatted payload in an editor tab', (id) => post({ type: 'openInEditor', id, codec: this.codec }));
    action('Compare with Previous', 'Diff with the previous message on the same topic', (id) => post({ type: 'compareWithPrevious', id, codec: this.codec }));
    this.codecSelect.addEventListener('change', () => {
      if (this.codecSelect.value === this.codec) return;
      this.codec = this.codecSelect.value;
      this.codecChanged(this.codec);
    });
    this.header.append(label, this.codecSelect, this.decodedAs, this.loading, actions);
    this.error.setAttribute('role', 'alert');
    this.body.append(this.fields, this.error, this.notes, this.struct.element, this.payload, this.chart.element, this.properties);
    // The header stays outside the scrolling body: the format dropdown's list must not be clipped by it.
    this.element.append(this.placeholder, this.header, this.body);
    this.clear();
  }

  /** Fills the codec selector: "Auto" first, then the host's codecs. */
  setCodecs(codecs: CodecOption[]): void {
    this.codecLabels = new Map(codecs.map((c) => [c.id, c.label]));
    this.codecSelect.replaceChildren();
    for (const option of [{ id: 'auto', label: 'Auto' }, ...codecs]) {
      const node = custom('vscode-option', undefined, option.label);
      node.setAttribute('value', option.id);
      this.codecSelect.appendChild(node);
    }
    if (this.codec !== 'auto' && !codecs.some((c) => c.id === this.codec)) this.codec = 'auto';
    this.codecSelect.value = this.codec;
  }

  /** Shows that a message's detail was asked for. */
  setLoading(loading: boolean): void {
    this.loading.hidden = !loading;
  }

  /** Empties the pane (no selection). */
  clear(): void {
    this.shown = undefined;
    this.placeholder.hidden = false;
    this.header.hidden = true;
    this.body.hidden = true;
    this.chart.hide();
    this.setLoading(false);
  }

  /** Shows a decoded message from the host. */
  show(detail: Detail): void {
    const row = detail.row;
    this.shown = row;
    this.placeholder.hidden = true;
    this.header.hidden = false;
    this.body.hidden = false;
    this.setLoading(false);
    this.decodedAs.textContent = this.codec === 'auto' ? `decoded as ${this.codecLabels.get(detail.codec) ?? detail.codec}` : '';
    this.fields.replaceChildren();
    const field = (name: string, value: string, className = ''): void => {
      this.fields.append(el('dt', undefined, name), el('dd', className, value));
    };
    field('Topic', row.topic, 'detail-topic');
    field('Time', formatDateTime(row.time));
    field('Direction', row.direction === 'in' ? '↓ Received' : '↑ Published');
    field('QoS', String(row.qos));
    field('Retain', row.retain ? 'yes' : 'no');
    field('Dup', row.dup ? 'yes' : 'no');
    field('Size', `${formatSize(row.size)} (${row.size} bytes)`);
    this.error.textContent = detail.error ?? '';
    this.error.hidden = !detail.error;
    this.notes.replaceChildren(...detail.notes.map((n) => el('li', undefined, n)));
    this.notes.hidden = detail.notes.length === 0;
    this.payload.className = `detail-payload language-${detail.language}`;
    this.payload.replaceChildren(detail.language === 'json' ? highlightJson(detail.text) : document.createTextNode(detail.text));
    this.payload.hidden = detail.text === '' && detail.error !== undefined;
    this.struct.show(detail.structFields, detail.payloadHex);
    this.showProperties(detail);
    this.chart.showFor(row, detail.chartPath);
  }

  private showProperties(detail: Detail): void {
    this.properties.replaceChildren();
    this.properties.hidden = detail.properties.length === 0;
    if (detail.properties.length === 0) return;
    const head = el('tr');
    head.append(el('th', undefined, 'Property'), el('th', undefined, 'Value'));
    this.properties.appendChild(el('thead')).appendChild(head);
    const body = this.properties.appendChild(el('tbody'));
    for (const p of detail.properties) {
      const tr = el('tr');
      tr.append(el('td', undefined, p.name), el('td', undefined, p.value));
      body.appendChild(tr);
    }
  }
}
