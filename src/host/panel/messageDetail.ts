import type { HistoryEntry } from '../../core/history';
import { toRow } from '../../core/history/panelFeed';
import { numberAt, suggestPathInValue, suggestValuePath, type NumberReader } from '../../core/history/series';
import { numericValue, readField } from '../../core/monitor/fieldValue';
import { codecs, decodePayload, toHex, type CodecId } from '../../core/payload';
import type { MqttMessage } from '../../shared/mqttMessage';
import type { CodecOption, PropertyRow, ToWebview } from '../../shared/protocol';
import type { StructContext } from '../cstructHeaders';
import type { ProtobufContext } from '../protobufSchemas';

/** The detail pane decodes at most this much of a payload; the rest is cut with a note. */
const DETAIL_MAX_BYTES = 1024 * 1024;
/** The hex view beside a C struct's fields shows at most this many bytes. */
const STRUCT_HEX_BYTES = 64 * 1024;

/** What decoding needs from the user's settings: protobuf schemas and C headers. */
export type DetailContext = ProtobufContext & StructContext;

/** Decodes with the chosen codec ('auto' picks), with the user's protobuf schemas and C headers, at most 1 MB. */
export function decodeForDetail(entry: MqttMessage, codec: string, context: DetailContext, describeFields = false): ReturnType<typeof decodePayload> {
  const id = codec === 'auto' || codecs.some((c) => c.id === codec) ? (codec as CodecId | 'auto') : 'auto';
  return decodePayload(entry.payload, id, {
    ...context,
    topic: entry.topic,
    contentType: entry.properties?.contentType,
    payloadFormatIndicator: entry.properties?.payloadFormatIndicator,
    maxBytes: DETAIL_MAX_BYTES,
    describeFields,
  });
}

/**
 * Chart points of `topic`: JSON and plain numbers directly, any other payload through its codec (CBOR,
 * MessagePack, Protobuf, Sparkplug, C structs), the way watches read fields.
 */
export function chartNumberReader(topic: string, context: DetailContext): NumberReader {
  const codecContext = { ...context, topic };
  return (payload, steps) => {
    const direct = numberAt(payload, steps);
    if (direct !== undefined) return direct;
    const field = readField(payload, { codec: 'auto', steps, path: '' }, codecContext);
    return field.ok ? numericValue(field.value) : undefined;
  };
}

/** The decoded text, or the decoding error's sentence. */
export function decodedText(decoded: ReturnType<typeof decodePayload>): string {
  return decoded.ok ? decoded.text : decoded.error;
}

/** The codecs the detail pane offers. */
export function codecOptions(): CodecOption[] {
  return codecs.map((c) => ({ id: c.id, label: c.label }));
}

/** The `detail` message of one entry for the message panel or the capture editor. */
export function detailMessage(requestId: number, entry: HistoryEntry, codec: string, context: DetailContext): Extract<ToWebview, { type: 'detail' }> {
  const decoded = decodeForDetail(entry, codec, context, true);
  return {
    type: 'detail',
    requestId,
    id: entry.id,
    codec: decoded.codec,
    text: decoded.ok ? decoded.text : '',
    language: decoded.ok ? decoded.language : 'text',
    error: decoded.ok ? undefined : decoded.error,
    notes: decoded.ok ? (decoded.notes ?? []) : [],
    properties: propertyRows(entry),
    row: toRow(entry),
    chartPath: suggestValuePath(entry.payload) ?? (decoded.ok && typeof decoded.value === 'object' ? suggestPathInValue(decoded.value) : undefined),
    ...(decoded.ok && decoded.fields !== undefined ? { structFields: decoded.fields, payloadHex: toHex(entry.payload.subarray(0, STRUCT_HEX_BYTES)) } : {}),
  };
}

/** MQTT 5 properties as name/value rows (user properties in order). */
export function propertyRows(message: MqttMessage): PropertyRow[] {
  const p = message.properties;
  if (!p) return [];
  const rows: PropertyRow[] = [];
  const add = (name: string, value: unknown) => value !== undefined && rows.push({ name, value: String(value) });
  add('Content type', p.contentType);
  add('Payload format', p.payloadFormatIndicator === undefined ? undefined : p.payloadFormatIndicator ? 'UTF-8 text' : 'bytes');
  add('Message expiry (s)', p.messageExpiryInterval);
  add('Response topic', p.responseTopic);
  add('Correlation data (hex)', p.correlationData && Array.from(p.correlationData, (b) => b.toString(16).padStart(2, '0')).join(' '));
  add('Topic alias', p.topicAlias);
  add('Subscription ids', p.subscriptionIdentifiers?.join(', '));
  for (const [key, value] of p.userProperties ?? []) rows.push({ name: `User property: ${key}`, value });
  return rows;
}
