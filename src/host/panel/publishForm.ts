import type { ProtoRegistry, StructRegistry } from '../../core/payload';
import type { SubmitResult } from '../../core/publish/outbox';
import { hasProblems, PAYLOAD_FORMAT_LABELS, PAYLOAD_FORMATS, validateDraft, type BuiltPublish, type PayloadFormat, type PublishDraft } from '../../core/publish/publishRequest';
import type { RequestOutcome } from '../../core/publish/requestResponse';
import type { PublishFormDraft, PublishSetup, ToWebview } from '../../shared/protocol';

/** What the panel's publish form needs of its connection. */
export interface PublishTarget {
  /** 3, 4 or 5 from the profile; `undefined` when the profile is invalid. */
  protocolVersion(): 3 | 4 | 5 | undefined;
  /** Message types of the user's .proto files, if any are loaded. */
  proto(): ProtoRegistry | undefined;
  /** Struct types of the user's C headers, if any are loaded. */
  structs(): StructRegistry | undefined;
  /** Topics to complete from (recent publishes first, then topics seen). */
  topics(): string[];
  /** Publishes now, or queues while the connection is down. */
  submit(built: BuiltPublish): Promise<SubmitResult>;
  /** Publishes with a response topic and correlation data and waits for the reply (MQTT 5, connected). */
  request(built: BuiltPublish): Promise<RequestOutcome>;
  /** Remembers a publish (recents, "Publish Again"). */
  remember(draft: PublishDraft): void;
}

/** The file the user picked for a 'file' payload: only the host holds its bytes. */
export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

/** The form's 'file' format: the bytes of a file the user picked with the open dialog, sent as they are. */
export const FILE_FORMAT = 'file';

type Checked = Extract<ToWebview, { type: 'publishChecked' }>;
type Published = Extract<ToWebview, { type: 'published' }>;

/** The form's draft as core's PublishDraft (an unknown format stays as typed: validation names it). */
export function toPublishDraft(form: PublishFormDraft, file?: PickedFile): PublishDraft {
  const draft: PublishDraft = { topic: form.topic, payload: form.payload, format: form.format as PayloadFormat, qos: form.qos, retain: form.retain };
  if (form.format === FILE_FORMAT) {
    draft.format = 'text';
    draft.payload = '';
    if (file) draft.bytes = file.bytes;
  }
  if (form.format === 'protobuf') draft.protobufType = form.protobufType;
  if (form.format === 'cstruct') draft.structType = form.structType ?? '';
  const p = form.properties;
  if (p) {
    draft.properties = {
      contentType: p.contentType || undefined,
      payloadFormatIndicator: p.payloadFormatIndicator || undefined,
      messageExpiryInterval: p.messageExpiryInterval.trim() || undefined,
      responseTopic: p.responseTopic || undefined,
      correlationData: p.correlationData || undefined,
      correlationDataEncoding: p.correlationDataEncoding,
      userProperties: p.userProperties.length > 0 ? p.userProperties : undefined,
      topicAlias: p.topicAlias.trim() || undefined,
    };
  }
  return draft;
}

/** The form's setup: formats (with labels), protobuf types, MQTT 5 or not, completion topics. */
export function publishSetup(target: PublishTarget): PublishSetup {
  return {
    formats: [...PAYLOAD_FORMATS.map((id) => ({ id, label: PAYLOAD_FORMAT_LABELS[id] })), { id: FILE_FORMAT, label: 'File (bytes as they are)' }],
    protobufTypes: target.proto()?.typeNames() ?? [],
    structTypes: target.structs()?.typeNames() ?? [],
    mqtt5: target.protocolVersion() === 5,
    topics: target.topics(),
  };
}

function validate(form: PublishFormDraft, target: PublishTarget, file: PickedFile | undefined) {
  const draft = toPublishDraft(form, file);
  const result = validateDraft(draft, { proto: target.proto(), structs: target.structs(), protocolVersion: target.protocolVersion() });
  if (form.format === FILE_FORMAT && !file) {
    const problem = { field: 'payload', message: 'Choose the file to send.' };
    return { draft, result: hasProblems(result) ? { problems: [...result.problems, problem] } : { problems: [problem] } };
  }
  return { draft, result };
}

/** Live validation while typing: every problem, each with its field. */
export function checkPublish(requestId: number, form: PublishFormDraft, target: PublishTarget, file?: PickedFile): Checked {
  const { result } = validate(form, target, file);
  return { type: 'publishChecked', requestId, problems: hasProblems(result) ? result.problems : [] };
}

/**
 * Publishes (or queues) a valid draft, or sends it as a request and waits for the reply (`mode` 'request');
 * the answer is the broker's, in words, or the problems by field.
 */
export async function publishFromForm(requestId: number, form: PublishFormDraft, target: PublishTarget, file?: PickedFile, mode: 'publish' | 'request' = 'publish'): Promise<Published> {
  const { draft, result } = validate(form, target, file);
  if (hasProblems(result)) return { type: 'published', requestId, ok: false, summary: 'Nothing was published: fix the fields marked below.', problems: result.problems };
  try {
    if (mode === 'request') {
      const outcome = await target.request(result);
      target.remember(draft);
      const text = new TextDecoder().decode(outcome.response.payload);
      return { type: 'published', requestId, ok: true, summary: `Response on ${outcome.responseTopic} in ${outcome.rttMs} ms`, problems: [], response: { topic: outcome.response.topic, text } };
    }
    const outcome = await target.submit(result);
    target.remember(draft);
    const summary = 'queued' in outcome ? `Queued: ${outcome.queued} message${outcome.queued === 1 ? '' : 's'} waiting for the connection.` : outcome.summary;
    return { type: 'published', requestId, ok: true, summary, problems: [] };
  } catch (error) {
    return { type: 'published', requestId, ok: false, summary: error instanceof Error ? error.message : String(error), problems: [] };
  }
}
