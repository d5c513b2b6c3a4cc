/**
 * The publish argument object of commands, keybindings, tasks and saved messages, read from untyped JSON:
 * `{ connection, topic, payload | file, format, qos, retain, properties, protobufType, structType }`. Type problems are
 * named by path ("publish.qos: must be one of 0, 1, 2, not 3"); value problems come from validateDraft.
 */
import type { QoS } from '../../shared/mqttMessage';
import { describeJsonType, FieldReader } from '../fieldReader';
import { PAYLOAD_FORMATS, validateDraft, type BuiltPublish, type DraftContext, type PayloadFormat, type PublishDraft, type PublishPropertiesInput } from './publishRequest';

/** The publish fields of an argument object, as given (absent fields stay undefined). */
export interface PublishFields {
  /** Connection name; when absent the command asks (or uses the only one). */
  connection?: string;
  topic?: string;
  /** The payload typed in `format`. */
  payload?: string;
  /** A file whose bytes are the payload, sent as they are (workspace-relative or absolute path). */
  file?: string;
  format?: PayloadFormat;
  qos?: QoS;
  retain?: boolean;
  properties?: PublishPropertiesInput;
  protobufType?: string;
  /** C struct type for format 'cstruct', e.g. "telemetry_t". */
  structType?: string;
}

const PROPERTY_KEYS = ['contentType', 'payloadFormatIndicator', 'messageExpiryInterval', 'responseTopic', 'correlationData', 'correlationDataEncoding', 'userProperties', 'topicAlias'] as const;

/** User properties as an object (`{ "site": "a" }`, arrays for repeated names) or as `[name, value]` pairs. */
function readUserProperties(reader: FieldReader): Array<[string, string]> | undefined {
  const raw = reader.raw('userProperties');
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) {
    const pairs: Array<[string, string]> = [];
    raw.forEach((pair: unknown, i) => {
      if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string') pairs.push([pair[0], pair[1]]);
      else reader.problem(`userProperties[${i}]`, `must be a [name, value] pair of strings, not ${describeJsonType(pair)}`);
    });
    return pairs;
  }
  const grouped = reader.userProperties('userProperties');
  if (grouped === undefined) return undefined;
  return Object.entries(grouped).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]));
}

/** A number as JSON gives it; ranges are checked by validateDraft with the sentence a form shows too. */
function rawNumber(reader: FieldReader, key: string): number | undefined {
  return reader.number(key, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
}

function readProperties(reader: FieldReader): PublishPropertiesInput | undefined {
  const nested = reader.object('properties');
  if (!nested) return undefined;
  const properties: PublishPropertiesInput = {
    contentType: nested.string('contentType'),
    payloadFormatIndicator: nested.boolean('payloadFormatIndicator'),
    messageExpiryInterval: rawNumber(nested, 'messageExpiryInterval'),
    responseTopic: nested.string('responseTopic'),
    correlationData: nested.string('correlationData'),
    correlationDataEncoding: nested.oneOf('correlationDataEncoding', ['text', 'hex'] as const),
    userProperties: readUserProperties(nested),
    topicAlias: rawNumber(nested, 'topicAlias'),
  };
  nested.rejectUnknownFields();
  for (const key of PROPERTY_KEYS) if (properties[key] === undefined) delete properties[key];
  return properties;
}

/** Reads the publish fields; the caller may read more fields and then calls `reader.rejectUnknownFields()`. */
export function readPublishFields(reader: FieldReader): PublishFields {
  const fields: PublishFields = {
    connection: reader.string('connection', { nonEmpty: true }),
    topic: reader.string('topic'),
    payload: reader.string('payload'),
    file: reader.string('file', { nonEmpty: true }),
    format: reader.oneOf('format', PAYLOAD_FORMATS),
    qos: reader.oneOf('qos', [0, 1, 2] as const),
    retain: reader.boolean('retain'),
    properties: readProperties(reader),
    protobufType: reader.string('protobufType', { nonEmpty: true }),
    structType: reader.string('structType', { nonEmpty: true }),
  };
  if (fields.file !== undefined && fields.payload !== undefined) reader.problem('file', 'give either payload or file, not both');
  if (fields.file !== undefined && fields.format !== undefined) reader.problem('format', 'does not apply to a file: its bytes are sent as they are');
  return fields;
}

/** The draft the fields describe (text, QoS 0, not retained by default); `bytes` for a `file` payload. */
export function draftFromFields(fields: PublishFields, bytes?: Uint8Array): PublishDraft {
  const draft: PublishDraft = {
    topic: fields.topic ?? '',
    payload: fields.payload ?? '',
    format: fields.format ?? 'text',
    qos: fields.qos ?? 0,
    retain: fields.retain ?? false,
  };
  if (fields.properties) draft.properties = fields.properties;
  if (fields.protobufType !== undefined) draft.protobufType = fields.protobufType;
  if (fields.structType !== undefined) draft.structType = fields.structType;
  if (bytes !== undefined) draft.bytes = bytes;
  return draft;
}

/** validateDraft with each problem as "<path>.<field>: <message>". */
export function validateFields(fields: PublishFields, path: string, context: DraftContext, bytes?: Uint8Array): BuiltPublish | { messages: string[] } {
  const result = validateDraft(draftFromFields(fields, bytes), context);
  if ('problems' in result) return { messages: result.problems.map((p) => `${path}.${p.field}: ${p.message}`) };
  return result;
}

/** Reads a whole publish argument object (no other fields allowed): fields, or every problem as a sentence. */
export function readPublishArgument(value: unknown, path = 'publish'): { fields: PublishFields; problems: string[] } {
  const problems: string[] = [];
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return { fields: {}, problems };
  const fields = readPublishFields(reader);
  reader.rejectUnknownFields();
  return { fields, problems };
}

/** A typed number as JSON stores it: "60" -> 60; anything else as is (validation names it). */
function asNumber(value: number | string | undefined): number | string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return value === '' ? undefined : value;
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : value;
}

/** The argument object of a publish made in a form or the palette (recents, "Publish Again", "Save Message"). */
export function fieldsFromDraft(connection: string | undefined, draft: PublishDraft, file?: string): PublishFields {
  const fields: PublishFields = { connection, topic: draft.topic, qos: draft.qos, retain: draft.retain };
  if (file !== undefined) fields.file = file;
  else {
    fields.payload = draft.payload;
    fields.format = draft.format;
    if (draft.format === 'protobuf' && draft.protobufType) fields.protobufType = draft.protobufType;
    if (draft.format === 'cstruct' && draft.structType) fields.structType = draft.structType;
  }
  const p = draft.properties;
  if (p) {
    const properties: PublishPropertiesInput = { ...p, messageExpiryInterval: asNumber(p.messageExpiryInterval), topicAlias: asNumber(p.topicAlias) };
    if (properties.userProperties?.length === 0) delete properties.userProperties;
    for (const key of PROPERTY_KEYS) if (properties[key] === undefined || properties[key] === '') delete properties[key];
    if (Object.keys(properties).length > 0) fields.properties = properties;
  }
  if (connection === undefined) delete fields.connection;
  return fields;
}
