/**
 * One publish as a person describes it (topic, typed payload and its format, QoS, retain, MQTT 5 properties),
 * checked into exactly what a Session sends. Used by the palette commands, command arguments, saved messages
 * and the panel's publish form; every problem names its field.
 */
import type { QoS } from '../../shared/mqttMessage';
import { encodePayload, type ProtoRegistry, type StructRegistry } from '../payload';
import { lookupStruct } from '../payload/cstruct/codec';
import { firstInvalidUtf8 } from '../payload/text';
import { formatCount, utf8Encode } from '../payload/textPosition';
import type { PublishOptions } from '../session';
import { utf8ByteLength, validateTopicName } from '../topics';
import { readPublishProperties, type DraftProblem, type PublishPropertiesInput } from './publishProperties';

export type { DraftProblem, PublishPropertiesInput } from './publishProperties';

/** The formats a payload can be typed in. */
export type PayloadFormat = 'text' | 'json' | 'hex' | 'base64' | 'cbor' | 'msgpack' | 'protobuf' | 'cstruct';

/** Every payload format, in the order of a format chooser. */
export const PAYLOAD_FORMATS: readonly PayloadFormat[] = ['text', 'json', 'hex', 'base64', 'cbor', 'msgpack', 'protobuf', 'cstruct'];

/** Names of the formats for choosers and messages. */
export const PAYLOAD_FORMAT_LABELS: Readonly<Record<PayloadFormat, string>> = {
  text: 'Text (UTF-8)',
  json: 'JSON',
  hex: 'Hex',
  base64: 'Base64',
  cbor: 'CBOR from JSON',
  msgpack: 'MessagePack from JSON',
  protobuf: 'Protobuf from JSON',
  cstruct: 'C struct from JSON',
};

/** A publish as typed. */
export interface PublishDraft {
  /** Topic name (no wildcards). */
  topic: string;
  /** The payload as typed, in `format`. Ignored when `bytes` is set. */
  payload: string;
  format: PayloadFormat;
  qos: QoS;
  retain: boolean;
  /** MQTT 5 properties as typed; only for MQTT 5 connections. */
  properties?: PublishPropertiesInput;
  /** Fully qualified protobuf message type, for format 'protobuf', e.g. "acme.sensors.Reading". */
  protobufType?: string;
  /** C struct type, for format 'cstruct', e.g. "telemetry_t". */
  structType?: string;
  /** Payload bytes to send as they are (a file); `payload` and `format` are then not used. */
  bytes?: Uint8Array;
}

/** What validation needs to know besides the draft. */
export interface DraftContext {
  /** Message types for format 'protobuf' (setting mqttWorkbench.protobuf.files). */
  proto?: ProtoRegistry;
  /** Struct types for format 'cstruct' (setting mqttWorkbench.structs). */
  structs?: StructRegistry;
  /** Protocol of the connection: 3 or 4 refuse MQTT 5 properties. Unknown: not checked. */
  protocolVersion?: 3 | 4 | 5;
  /** Largest packet the broker accepts (CONNACK maximum packet size), when known. */
  maximumPacketSize?: number;
}

/** A publish ready for Session.publish / ConnectionManager.publishOrQueue. */
export interface BuiltPublish {
  topic: string;
  payload: Uint8Array;
  options: PublishOptions & { qos: QoS; retain: boolean };
}

/** A valid publish, or every problem found. */
export type DraftValidation = BuiltPublish | { problems: DraftProblem[] };

/** The largest packet MQTT can carry (the remaining length is at most 268,435,455 bytes). */
const MQTT_MAX_PACKET = 268_435_455;

/** True when validation found problems. */
export function hasProblems(result: DraftValidation): result is { problems: DraftProblem[] } {
  return 'problems' in result;
}

/** The payload bytes of a draft, or a problem (field 'payload', 'protobufType' or 'structType'). */
function payloadBytes(draft: PublishDraft, context: DraftContext, problems: DraftProblem[]): Uint8Array | undefined {
  if (draft.bytes !== undefined) return draft.bytes;
  if (typeof draft.payload !== 'string') {
    problems.push({ field: 'payload', message: 'The payload must be text.' });
    return undefined;
  }
  if (!PAYLOAD_FORMATS.includes(draft.format)) {
    problems.push({ field: 'format', message: `Unknown payload format ${JSON.stringify(draft.format)}; use one of ${PAYLOAD_FORMATS.join(', ')}.` });
    return undefined;
  }
  if (draft.format === 'protobuf') {
    const type = draft.protobufType?.trim() ?? '';
    if (type === '') {
      problems.push({ field: 'protobufType', message: 'Choose the protobuf message type to encode, e.g. "acme.sensors.Reading".' });
      return undefined;
    }
    if (context.proto === undefined) {
      problems.push({ field: 'protobufType', message: `Protobuf type "${type}" is not defined: no .proto files are loaded (setting mqttWorkbench.protobuf.files).` });
      return undefined;
    }
    const found = context.proto.lookupType(type);
    if (!found.ok) {
      problems.push({ field: 'protobufType', message: found.error });
      return undefined;
    }
  }
  if (draft.format === 'cstruct') {
    const found = lookupStruct(context.structs, draft.structType);
    if (!found.ok) {
      problems.push({ field: 'structType', message: found.error });
      return undefined;
    }
  }
  // JSON is validated by its codec but sent as typed: a person who typed it pretty wants it pretty.
  const encoded = encodePayload(draft.payload, draft.format, { proto: context.proto, protoType: draft.protobufType?.trim(), structs: context.structs, structType: draft.structType?.trim() });
  if (!encoded.ok) {
    problems.push({ field: 'payload', message: encoded.error });
    return undefined;
  }
  return draft.format === 'json' ? utf8Encode(draft.payload) : encoded.bytes;
}

/** Packet size limits (MQTT's own, and the broker's when known). */
function checkSize(topic: string, payload: Uint8Array, context: DraftContext, problems: DraftProblem[]): void {
  const size = payload.length + utf8ByteLength(topic) + 16;
  const limit = Math.min(MQTT_MAX_PACKET, context.maximumPacketSize ?? MQTT_MAX_PACKET);
  if (size <= limit) return;
  const who = limit === MQTT_MAX_PACKET ? 'MQTT allows' : 'the broker accepts';
  problems.push({ field: 'payload', message: `The message is about ${formatCount(size)} bytes; ${who} at most ${formatCount(limit)} bytes per packet.` });
}

/**
 * Checks a draft: topic (not empty, no wildcards, no NUL, at most 65,535 UTF-8 bytes), payload in its format
 * (JSON with its line and column, hex, base64, CBOR/MessagePack/protobuf from JSON), QoS, retain and each
 * MQTT 5 property. Never throws.
 */
export function validateDraft(draft: PublishDraft, context: DraftContext = {}): DraftValidation {
  const problems: DraftProblem[] = [];
  const topic = typeof draft.topic === 'string' ? draft.topic : '';
  const topicProblem = typeof draft.topic === 'string' ? validateTopicName(topic) : 'The topic must be text.';
  if (topicProblem) problems.push({ field: 'topic', message: topicProblem });
  const payload = payloadBytes(draft, context, problems);
  if (draft.qos !== 0 && draft.qos !== 1 && draft.qos !== 2) problems.push({ field: 'qos', message: `QoS must be 0, 1 or 2, not ${JSON.stringify(draft.qos)}.` });
  if (typeof draft.retain !== 'boolean') problems.push({ field: 'retain', message: `Retain must be true or false, not ${JSON.stringify(draft.retain)}.` });
  const properties = draft.properties ? readPublishProperties(draft.properties, problems) : undefined;
  if (properties && context.protocolVersion !== undefined && context.protocolVersion < 5) {
    problems.push({ field: 'properties', message: 'MQTT 5 properties cannot be sent on this connection: it uses MQTT 3.1.1 or 3.1. Set protocolVersion to "5" or remove the properties.' });
  }
  if (payload && properties?.payloadFormatIndicator) {
    const bad = firstInvalidUtf8(payload);
    if (bad >= 0) problems.push({ field: 'properties.payloadFormatIndicator', message: `The payload is not valid UTF-8 (at byte ${bad}), but the payload format indicator says it is text.` });
  }
  if (payload && !topicProblem) checkSize(topic, payload, context, problems);
  if (problems.length > 0 || payload === undefined) return { problems };
  const options: BuiltPublish['options'] = { qos: draft.qos, retain: draft.retain };
  if (properties) options.properties = properties;
  return { topic, payload, options };
}
