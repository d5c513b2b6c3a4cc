import type { PublishFormProperties } from '../../src/shared/protocol';
import { custom, el } from '../dom';

type ValueElement = HTMLElement & { value: string };
type CheckElement = HTMLElement & { checked: boolean };

export const EMPTY_PROPERTIES: PublishFormProperties = {
  contentType: '',
  payloadFormatIndicator: false,
  messageExpiryInterval: '',
  responseTopic: '',
  correlationData: '',
  correlationDataEncoding: 'text',
  userProperties: [],
  topicAlias: '',
};

/** A labelled toolkit text field whose problems show under it (data-field names the draft field). */
function textField(label: string, field: string, placeholder = ''): { wrap: HTMLElement; input: ValueElement } {
  const wrap = el('div', 'form-field');
  const input = custom('vscode-text-field', 'form-input') as ValueElement;
  input.setAttribute('placeholder', placeholder);
  input.setAttribute('aria-label', label);
  input.dataset.field = field;
  input.append(el('span', undefined, label));
  wrap.append(input, fieldError(field));
  return { wrap, input };
}

/** The element a problem of `field` is shown in. */
export function fieldError(field: string): HTMLElement {
  const error = el('div', 'field-error');
  error.dataset.field = field;
  error.setAttribute('role', 'alert');
  error.hidden = true;
  return error;
}

/**
 * The MQTT 5 properties of the publish form, in a disclosure: content type, payload format indicator,
 * message expiry, response topic, correlation data (text or hex), topic alias and user property rows.
 */
export class PropertiesEditor {
  readonly element = el('details', 'publish-properties');
  private readonly contentType = textField('Content type', 'properties.contentType', 'application/json');
  private readonly expiry = textField('Message expiry (s)', 'properties.messageExpiryInterval', 'e.g. 60');
  private readonly responseTopic = textField('Response topic', 'properties.responseTopic', 'replies/my-tool');
  private readonly correlation = textField('Correlation data', 'properties.correlationData');
  private readonly topicAlias = textField('Topic alias', 'properties.topicAlias', '1 to 65535');
  private readonly utf8 = custom('vscode-checkbox', 'form-utf8', 'Payload is UTF-8 text') as CheckElement;
  private readonly correlationHex = custom('vscode-checkbox', 'form-correlation-hex', 'Hex') as CheckElement;
  private readonly userRows = el('div', 'user-properties');

  constructor(private readonly changed: () => void) {
    const summary = el('summary', undefined, 'MQTT 5 properties');
    const grid = el('div', 'properties-grid');
    const correlation = el('div', 'form-inline');
    correlation.append(this.correlation.wrap, this.correlationHex);
    grid.append(this.contentType.wrap, this.expiry.wrap, this.responseTopic.wrap, correlation, this.topicAlias.wrap, this.utf8);
    const addUser = custom('vscode-button', 'add-user-property', 'Add User Property');
    addUser.setAttribute('appearance', 'secondary');
    addUser.addEventListener('click', () => {
      this.addUserRow('', '');
      this.changed();
    });
    this.element.append(summary, grid, el('div', 'user-properties-title', 'User properties'), this.userRows, addUser, fieldError('properties'));
    this.element.addEventListener('input', () => this.changed());
    this.element.addEventListener('change', () => this.changed());
  }

  /** The properties as typed; `undefined` when none is set (nothing MQTT 5 to send). */
  get value(): PublishFormProperties | undefined {
    const userProperties = [...this.userRows.querySelectorAll<HTMLElement>('.user-property')].map((row): [string, string] => {
      const [key, value] = row.querySelectorAll<ValueElement>('vscode-text-field');
      return [key?.value ?? '', value?.value ?? ''];
    });
    const properties: PublishFormProperties = {
      contentType: this.contentType.input.value,
      payloadFormatIndicator: this.utf8.checked,
      messageExpiryInterval: this.expiry.input.value,
      responseTopic: this.responseTopic.input.value,
      correlationData: this.correlation.input.value,
      correlationDataEncoding: this.correlationHex.checked ? 'hex' : 'text',
      userProperties,
      topicAlias: this.topicAlias.input.value,
    };
    return JSON.stringify(properties) === JSON.stringify(EMPTY_PROPERTIES) ? undefined : properties;
  }

  set value(properties: PublishFormProperties | undefined) {
    const p = properties ?? EMPTY_PROPERTIES;
    this.contentType.input.value = p.contentType;
    this.utf8.checked = p.payloadFormatIndicator;
    this.expiry.input.value = p.messageExpiryInterval;
    this.responseTopic.input.value = p.responseTopic;
    this.correlation.input.value = p.correlationData;
    this.correlationHex.checked = p.correlationDataEncoding === 'hex';
    this.topicAlias.input.value = p.topicAlias;
    this.userRows.replaceChildren();
    for (const [key, value] of p.userProperties) this.addUserRow(key, value);
    if (properties) (this.element as HTMLDetailsElement).open = true;
  }

  /** Hidden on MQTT 3.1.1 connections, which cannot carry properties. */
  setAvailable(available: boolean): void {
    this.element.hidden = !available;
  }

  private addUserRow(key: string, value: string): void {
    const row = el('div', 'user-property');
    const keyField = custom('vscode-text-field', undefined) as ValueElement;
    const valueField = custom('vscode-text-field', undefined) as ValueElement;
    keyField.setAttribute('placeholder', 'name');
    keyField.setAttribute('aria-label', 'User property name');
    valueField.setAttribute('placeholder', 'value');
    valueField.setAttribute('aria-label', 'User property value');
    keyField.value = key;
    valueField.value = value;
    const remove = custom('vscode-button', undefined, '✕');
    remove.setAttribute('appearance', 'icon');
    remove.setAttribute('aria-label', 'Remove this user property');
    remove.addEventListener('click', () => {
      row.remove();
      this.changed();
    });
    const error = el('div', 'field-error');
    error.setAttribute('role', 'alert');
    error.hidden = true;
    row.append(keyField, valueField, remove, error);
    this.userRows.appendChild(row);
  }

  /** Where a problem of user property `index` (its name or value) is shown: under its row. */
  userPropertyError(index: number): HTMLElement | undefined {
    return this.userRows.children[index]?.querySelector<HTMLElement>('.field-error') ?? undefined;
  }
}
