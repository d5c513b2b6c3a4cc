import type { FormProblem, PublishFormDraft, PublishSetup, ToWebview } from '../../src/shared/protocol';
import { custom, debounce, el } from '../dom';
import { nextRequestId, post } from '../messaging';
import { fieldError, PropertiesEditor } from './propertiesEditor';

type ValueElement = HTMLElement & { value: string; disabled?: boolean };
type CheckElement = HTMLElement & { checked: boolean };
type Published = Extract<ToWebview, { type: 'published' }>;
type PayloadFile = Extract<ToWebview, { type: 'payloadFile' }>;

/** Wait after the last keystroke before the host checks the draft. */
const CHECK_DEBOUNCE_MS = 150;
const JSON_FORMATS = new Set(['json', 'cbor', 'msgpack', 'protobuf', 'cstruct']);

const EMPTY_DRAFT: PublishFormDraft = { topic: '', payload: '', format: 'text', qos: 0, retain: false, protobufType: '' };

/** A toolkit dropdown with options `[value, label]`. */
function dropdown(className: string, label: string, options: Array<[string, string]>): ValueElement {
  const select = custom('vscode-dropdown', className) as ValueElement;
  select.setAttribute('aria-label', label);
  setOptions(select, options);
  return select;
}

function setOptions(select: ValueElement, options: Array<[string, string]>): void {
  const current = select.value;
  select.replaceChildren(...options.map(([value, text]) => {
    const option = custom('vscode-option', undefined, text);
    option.setAttribute('value', value);
    return option;
  }));
  if (options.some(([value]) => value === current)) select.value = current;
}

/**
 * The publish form at the bottom of the panel: topic (with completion), QoS, retain, payload format and
 * payload, MQTT 5 properties. The host checks every change (150 ms after typing stops) and the problems show
 * under their fields; Publish is disabled while there are any. The result shows the broker's answer.
 */
export class PublishForm {
  readonly element = el('section', 'publish');
  private readonly toggle = el('button', 'publish-toggle', 'Publish');
  private readonly body = el('div', 'publish-body');
  private readonly topic = el('input', 'publish-topic native-input');
  private readonly suggestions = el('datalist');
  private readonly qos = dropdown('publish-qos', 'QoS', [['0', 'QoS 0'], ['1', 'QoS 1'], ['2', 'QoS 2']]);
  private readonly retain = custom('vscode-checkbox', 'publish-retain', 'Retain') as CheckElement;
  private readonly format = dropdown('publish-format', 'Payload format', [['text', 'Text (UTF-8)']]);
  private readonly protobufType = dropdown('publish-protobuf-type', 'Protobuf message type', []);
  private readonly structType = dropdown('publish-struct-type', 'C struct type', []);
  private readonly payload = custom('vscode-text-area', 'publish-payload') as ValueElement;
  private readonly pretty = custom('vscode-button', 'publish-pretty', 'Pretty');
  private readonly minify = custom('vscode-button', 'publish-minify', 'Minify');
  private readonly send = custom('vscode-button', 'publish-send', 'Publish') as ValueElement;
  private readonly requestButton = custom('vscode-button', 'publish-request', 'Publish and Wait for Response') as ValueElement;
  private readonly chooseFile = custom('vscode-button', 'publish-choose-file', 'Choose File…');
  private readonly fileName = el('span', 'publish-file-name', 'No file chosen');
  private readonly result = el('div', 'publish-result');
  private readonly response = el('pre', 'publish-response');
  private readonly properties = new PropertiesEditor(() => this.changed());
  private checkRequestId = -1;
  private publishRequestId = -1;
  private problems: FormProblem[] = [];

  constructor(
    draft: PublishFormDraft | undefined,
    open: boolean,
    private readonly saveState: (draft: PublishFormDraft, open: boolean) => void,
  ) {
    this.element.setAttribute('aria-label', 'Publish');
    this.toggle.setAttribute('aria-expanded', String(open));
    this.toggle.addEventListener('click', () => this.setOpen(this.body.hidden));
    this.suggestions.id = 'publish-topic-suggestions';
    this.topic.setAttribute('list', this.suggestions.id);
    this.topic.setAttribute('aria-label', 'Topic');
    this.topic.placeholder = 'Topic, e.g. devices/esp32-01/cmd';
    this.topic.spellcheck = false;
    this.payload.setAttribute('aria-label', 'Payload');
    this.payload.setAttribute('rows', '4');
    this.payload.setAttribute('resize', 'vertical');
    this.payload.setAttribute('placeholder', 'Payload (Ctrl+Enter publishes)');
    for (const b of [this.pretty, this.minify]) b.setAttribute('appearance', 'secondary');
    this.pretty.addEventListener('click', () => this.reformat(2));
    this.minify.addEventListener('click', () => this.reformat(undefined));
    this.send.addEventListener('click', () => this.publish('publish'));
    this.requestButton.setAttribute('appearance', 'secondary');
    this.requestButton.title = 'MQTT 5: send with a fresh response topic and correlation data, and show the reply';
    this.requestButton.addEventListener('click', () => this.publish('request'));
    this.chooseFile.setAttribute('appearance', 'secondary');
    this.chooseFile.addEventListener('click', () => post({ type: 'pickPayloadFile', requestId: nextRequestId() }));
    this.response.hidden = true;
    this.payload.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this.publish('publish');
    });
    this.result.setAttribute('role', 'status');
    const topicField = el('div', 'form-field publish-topic-field');
    topicField.append(this.topic, this.suggestions, fieldError('topic'));
    const row = el('div', 'publish-row');
    const typeField = el('div', 'form-field');
    typeField.append(this.protobufType, fieldError('protobufType'));
    const structField = el('div', 'form-field');
    structField.append(this.structType, fieldError('structType'));
    row.append(topicField, this.qos, this.retain, this.format, typeField, structField, this.send);
    const payloadField = el('div', 'form-field publish-payload-field');
    const payloadTools = el('div', 'publish-payload-tools');
    const fileChooser = el('div', 'publish-file');
    fileChooser.append(this.chooseFile, this.fileName);
    payloadTools.append(this.pretty, this.minify, this.requestButton);
    payloadField.append(this.payload, fileChooser, fieldError('payload'), payloadTools);
    this.body.append(row, payloadField, this.properties.element, fieldError('other'), this.result, this.response);
    this.element.append(this.toggle, this.body);
    for (const input of [this.topic, this.qos, this.retain, this.format, this.protobufType, this.structType, this.payload]) {
      input.addEventListener('input', () => this.changed());
      input.addEventListener('change', () => this.changed());
    }
    this.setDraft(draft ?? EMPTY_DRAFT);
    this.setOpen(open);
  }

  /** Formats, protobuf types, MQTT 5 or not, and completion topics from the host. */
  setup(setup: PublishSetup): void {
    setOptions(this.format, setup.formats.map((f) => [f.id, f.label]));
    setOptions(this.protobufType, setup.protobufTypes.map((t) => [t, t]));
    setOptions(this.structType, setup.structTypes.map((t) => [t, t]));
    this.properties.setAvailable(setup.mqtt5);
    this.requestButton.hidden = !setup.mqtt5;
    this.suggestions.replaceChildren(...setup.topics.map((t) => Object.assign(el('option'), { value: t })));
    this.changed();
  }

  /** The host's problems for the latest draft (older answers are ignored). */
  checked(requestId: number, problems: FormProblem[]): void {
    if (requestId !== this.checkRequestId) return;
    this.showProblems(problems);
  }

  /** The broker's answer (or why nothing was sent). */
  published(message: Published): void {
    if (message.requestId !== this.publishRequestId) return;
    this.result.textContent = message.summary;
    this.result.className = `publish-result ${message.ok ? 'ok' : 'failed'}`;
    if (message.problems.length > 0) this.showProblems(message.problems);
    this.response.hidden = message.response === undefined;
    this.response.textContent = message.response?.text ?? '';
    this.updateSend();
  }

  /** The host read the file the user picked: show its name; publishing sends its bytes. */
  fileChosen(file: PayloadFile): void {
    this.fileName.textContent = `${file.name} (${file.size.toLocaleString('en-US')} bytes)`;
    this.check();
  }

  /** The form as typed. */
  get draft(): PublishFormDraft {
    const qos = Number(this.qos.value);
    const draft: PublishFormDraft = {
      topic: this.topic.value,
      payload: this.payload.value,
      format: this.format.value || 'text',
      qos: qos === 1 || qos === 2 ? qos : 0,
      retain: this.retain.checked,
      protobufType: this.protobufType.value ?? '',
      structType: this.structType.value ?? '',
    };
    const properties = this.element.querySelector('.publish-properties:not([hidden])') ? this.properties.value : undefined;
    return properties ? { ...draft, properties } : draft;
  }

  private setDraft(draft: PublishFormDraft): void {
    this.topic.value = draft.topic;
    this.payload.value = draft.payload;
    this.format.value = draft.format;
    this.qos.value = String(draft.qos);
    this.retain.checked = draft.retain;
    this.protobufType.value = draft.protobufType;
    this.structType.value = draft.structType ?? '';
    this.properties.value = draft.properties;
  }

  private setOpen(open: boolean): void {
    this.body.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    this.toggle.classList.toggle('open', open);
    this.saveState(this.draft, open);
  }

  private readonly check = debounce(() => {
    this.checkRequestId = nextRequestId();
    post({ type: 'checkPublish', requestId: this.checkRequestId, draft: this.draft });
  }, CHECK_DEBOUNCE_MS);

  private changed(): void {
    const format = this.format.value;
    this.protobufType.parentElement?.toggleAttribute('hidden', format !== 'protobuf');
    this.structType.parentElement?.toggleAttribute('hidden', format !== 'cstruct');
    this.payload.hidden = format === 'file';
    this.chooseFile.parentElement?.toggleAttribute('hidden', format !== 'file');
    const jsonLike = JSON_FORMATS.has(format);
    this.pretty.hidden = !jsonLike;
    this.minify.hidden = !jsonLike;
    this.saveState(this.draft, !this.body.hidden);
    this.check();
  }

  private publish(type: 'publish' | 'request'): void {
    if (this.problems.length > 0 || this.send.hasAttribute('disabled')) return;
    this.publishRequestId = nextRequestId();
    this.result.textContent = type === 'request' ? 'Waiting for the response…' : 'Publishing…';
    this.result.className = 'publish-result';
    this.response.hidden = true;
    post({ type, requestId: this.publishRequestId, draft: this.draft });
  }

  private reformat(indent: number | undefined): void {
    try {
      this.payload.value = JSON.stringify(JSON.parse(this.payload.value) as unknown, null, indent);
      this.changed();
    } catch {
      this.check(); // the host's message says where the JSON is wrong
    }
  }

  private showProblems(problems: FormProblem[]): void {
    this.problems = problems;
    for (const error of this.element.querySelectorAll<HTMLElement>('.field-error')) {
      error.textContent = '';
      error.hidden = true;
    }
    for (const problem of problems) {
      const target = this.errorElement(problem.field);
      target.textContent = target.textContent ? `${target.textContent} ${problem.message}` : problem.message;
      target.hidden = false;
    }
    this.topic.classList.toggle('invalid', problems.some((p) => p.field === 'topic'));
    this.payload.classList.toggle('invalid', problems.some((p) => p.field === 'payload'));
    this.updateSend();
  }

  /** Where a problem of `field` shows: its own element, a user property row, or the form's general line. */
  private errorElement(field: string): HTMLElement {
    const user = /^properties\.userProperties\[(\d+)\]/.exec(field);
    const row = user ? this.properties.userPropertyError(Number(user[1])) : undefined;
    if (row) return row;
    const own = [...this.element.querySelectorAll<HTMLElement>('.field-error')].find((e) => e.dataset.field === field);
    return own ?? this.element.querySelector<HTMLElement>('.field-error[data-field="other"]') ?? this.result;
  }

  private updateSend(): void {
    const blocked = this.problems.length > 0;
    this.send.toggleAttribute('disabled', blocked);
    this.requestButton.toggleAttribute('disabled', blocked);
    this.send.title = blocked ? 'Fix the problems shown in the form first' : 'Publish (Ctrl+Enter in the payload)';
  }
}
