import type { HistoryFilterInput } from '../../src/shared/protocol';
import { custom, debounce, el } from '../dom';

/** A toolkit text field or checkbox, as far as the panel uses it. */
type ValueElement = HTMLElement & { value: string };
type CheckElement = HTMLElement & { checked: boolean };

/** Wait after the last keystroke before the filter is sent. */
const DEBOUNCE_MS = 200;

/**
 * The filter bar: MQTT topic filter, payload text, and a Regex checkbox. Changes are sent 200 ms after the
 * last keystroke; the host's reason for an invalid filter is shown under the fields.
 */
export class FilterBar {
  /** The filter bar's root element. */
  readonly element = el('div', 'filter-bar');
  private readonly topic = custom('vscode-text-field', 'filter-topic') as ValueElement;
  private readonly text = custom('vscode-text-field', 'filter-text') as ValueElement;
  private readonly regex = custom('vscode-checkbox', 'filter-regex', 'Regex') as CheckElement;
  private readonly error = el('div', 'filter-error');
  private last = '';

  constructor(private readonly changed: (filter: HistoryFilterInput) => void) {
    this.topic.setAttribute('placeholder', 'Topic filter, e.g. sensors/+/temp or devices/#');
    this.topic.setAttribute('aria-label', 'Topic filter');
    this.text.setAttribute('placeholder', 'Find in payload or topic');
    this.text.setAttribute('aria-label', 'Text in payload or topic');
    this.regex.title = 'Treat the text as a regular expression';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    const fields = el('div', 'filter-fields');
    fields.append(this.topic, this.text, this.regex);
    this.element.append(fields, this.error);
    const send = debounce(() => this.emit(), DEBOUNCE_MS);
    this.topic.addEventListener('input', send);
    this.text.addEventListener('input', send);
    this.regex.addEventListener('change', () => this.emit());
  }

  /** Shows a filter (from `init` or restored state) without sending it. */
  setFilter(filter: HistoryFilterInput): void {
    this.last = JSON.stringify(filter); // first: setting `checked` fires a change event
    this.topic.value = filter.topicFilter;
    this.text.value = filter.text;
    this.regex.checked = filter.regex;
  }

  /** The filter as currently typed. */
  getFilter(): HistoryFilterInput {
    return { topicFilter: this.topic.value.trim(), text: this.text.value, regex: this.regex.checked };
  }

  /** Shows (or clears) why the host rejected the filter, and marks the field it most likely concerns. */
  setError(message: string | undefined): void {
    this.error.textContent = message ?? '';
    this.error.hidden = !message;
    const regexProblem = message !== undefined && /regular expression/i.test(message);
    this.mark(this.topic, message !== undefined && !regexProblem);
    this.mark(this.text, regexProblem);
  }

  private mark(field: HTMLElement, invalid: boolean): void {
    field.classList.toggle('invalid', invalid);
    if (invalid) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
  }

  private emit(): void {
    const filter = this.getFilter();
    const key = JSON.stringify(filter);
    if (key === this.last) return;
    this.last = key;
    this.changed(filter);
  }
}
