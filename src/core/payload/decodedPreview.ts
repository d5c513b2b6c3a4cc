/**
 * Binary payloads read by their format where the user sees one line of them (the Topics view) or exports them:
 * CBOR, MessagePack, Protobuf, Sparkplug and C structs (a topic mapped to a type in the settings) as their
 * fields. Text and JSON are readable as they are and are left alone; so are bytes no format claims.
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import { decodePayload, detectCodec, type CodecId, type DecodeContext, type PayloadDecoding } from './index';
import { CUT_MARKER, payloadPreview } from './preview';

/** Binary formats whose decoded fields say more than a hex dump. */
const DECODED_FORMATS: ReadonlySet<CodecId> = new Set(['cbor', 'msgpack', 'protobuf', 'sparkplug', 'cstruct']);

/** At most this much is decoded here; a larger payload is left as bytes. */
const MAX_DECODED_BYTES = 64 * 1024;

/** The user's schemas and headers, without a topic: each message brings its own. */
export type SchemaContext = Omit<DecodeContext, 'topic' | 'contentType' | 'payloadFormatIndicator'>;

/** The decode context of one message: its topic and MQTT 5 content hints with the user's schemas and headers. */
export function messageContext(message: Pick<MqttMessage, 'topic' | 'properties'>, schemas: SchemaContext): DecodeContext {
  return { ...schemas, topic: message.topic, contentType: message.properties?.contentType, payloadFormatIndicator: message.properties?.payloadFormatIndicator };
}

/** The decoding of a payload Auto reads as one of the binary formats, else undefined. Never throws. */
function binaryDecoding(payload: Uint8Array, context: DecodeContext): (PayloadDecoding & { ok: true }) | undefined {
  if (payload.byteLength === 0 || payload.byteLength > MAX_DECODED_BYTES) return undefined;
  const codec = detectCodec(payload, context);
  if (!DECODED_FORMATS.has(codec)) return undefined;
  const decoded = decodePayload(payload, codec, { ...context, maxBytes: MAX_DECODED_BYTES });
  return decoded.ok ? decoded : undefined;
}

/**
 * A one-line preview: a binary format's fields as one line of JSON, `{"seq": 7, "battery": {"mv": 3700}}`, else
 * `payloadPreview` (text, or a hex dump). At most `maxChars` characters, cut with "…".
 */
export function decodedPreview(payload: Uint8Array, maxChars: number, context: DecodeContext): string {
  const decoded = binaryDecoding(payload, context);
  if (decoded === undefined) return payloadPreview(payload, maxChars);
  // The decoded text is pretty JSON, whose line breaks are all layout (a JSON string cannot hold a raw one).
  const oneLine = decoded.text.replace(/,\n\s*/g, ', ').replace(/\n\s*/g, '');
  const chars = [...oneLine];
  return chars.length > maxChars ? `${chars.slice(0, maxChars).join('')}${CUT_MARKER}` : oneLine;
}

/**
 * The fields of a binary payload as a JSON value, for an export (`{"mv": 3712, ...}`); the decoded text when it
 * is not JSON (a CBOR tag); undefined for text, JSON and bytes no format claims.
 */
export function decodedFields(payload: Uint8Array, context: DecodeContext): unknown {
  const decoded = binaryDecoding(payload, context);
  if (decoded === undefined) return undefined;
  try {
    return JSON.parse(decoded.text) as unknown;
  } catch {
    return decoded.text;
  }
}
