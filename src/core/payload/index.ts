/**
 * Payload codecs: one per file, Uint8Array in and out, no Node built-ins, so both the extension host and the
 * webview bundle them. Nothing here throws: decoders and encoders return results with sentences for the user.
 */
import type { CodecId, DecodeContext, DecodeResult, EncodeContext, EncodeResult, PayloadCodec } from './types';
import { textCodec } from './text';
import { jsonCodec } from './json';
import { hexCodec } from './hex';
import { base64Codec } from './base64';
import { cborCodec } from './cbor';
import { msgpackCodec } from './msgpack';
import { protobufCodec } from './protobuf';
import { sparkplugCodec } from './sparkplug';
import { cstructCodec } from './cstruct/codec';
import { messageOf } from './textPosition';

export type { CodecId, DecodeContext, DecodeFailure, DecodeResult, DecodeSuccess, EncodeContext, EncodeFailure, EncodeResult, PayloadCodec } from './types';
export { ProtoRegistry } from './protoRegistry';
export type { ProtoFile, ProtoFileError } from './protoRegistry';
export { hexDump, toHex } from './hex';
export { toBase64 } from './base64';
export { SPARKPLUG_B_PROTO } from './sparkplugSchema';
export { isSparkplugTopic } from './sparkplug';
export { StructRegistry } from './cstruct/registry';
export type { HeaderFile, CompiledStruct } from './cstruct/registry';
export type { HeaderProblem } from './cstruct/tokens';
export type { Endianness, LayoutOptions } from './cstruct/layout';
export { decodeStruct, encodeStruct, structFieldValue } from './cstruct/codec';

/** All codecs, in the order of the format selector. */
export const codecs: readonly PayloadCodec[] = [textCodec, jsonCodec, hexCodec, base64Codec, cborCodec, msgpackCodec, protobufCodec, sparkplugCodec, cstructCodec];

const byId = new Map<string, PayloadCodec>(codecs.map((c) => [c.id, c]));

/** Formats the publish form offers (every codec that can encode typed text). */
export const encodableCodecs: readonly CodecId[] = codecs.filter((c) => c.encode !== undefined).map((c) => c.id);

/** The codec with this id, or undefined for an unknown id (e.g. from an old setting). */
export function getCodec(id: string): PayloadCodec | undefined {
  return byId.get(id);
}

/** A decoding together with the codec that produced it (the one "Auto" chose). */
export type PayloadDecoding = DecodeResult & { codec: CodecId };

/** Content types that name a codec; a hint that wins when that codec decodes the payload. */
function codecForContentType(contentType: string | undefined): CodecId | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined || type === '') return undefined;
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/cbor' || type.endsWith('+cbor')) return 'cbor';
  if (type === 'application/msgpack' || type === 'application/x-msgpack' || type === 'application/vnd.msgpack') return 'msgpack';
  if (type === 'application/protobuf' || type === 'application/x-protobuf' || type === 'application/vnd.google.protobuf') return 'protobuf';
  if (type.startsWith('text/')) return 'text';
  return undefined;
}

/** Runs a codec's detect, treating a throw as "no". */
function confidence(codec: PayloadCodec, bytes: Uint8Array, context: DecodeContext): number {
  try {
    const c = codec.detect?.(bytes, context) ?? 0;
    return Number.isFinite(c) ? c : 0;
  } catch {
    return 0;
  }
}

/**
 * The best codec for a payload: Sparkplug for `spBv1.0/...` topics, protobuf when the topic maps to a type,
 * JSON when it parses, text when it is printable UTF-8, CBOR or MessagePack only when the whole payload is one
 * map or array, else hex. A content type (MQTT 5) is followed when that codec can decode the payload; a payload
 * format indicator (UTF-8) rules out the binary formats.
 */
export function detectCodec(bytes: Uint8Array, context: DecodeContext = {}): CodecId {
  const hinted = codecForContentType(context.contentType);
  const hintedCodec = hinted !== undefined ? byId.get(hinted) : undefined;
  if (hintedCodec !== undefined && hinted !== 'protobuf' && confidence(hintedCodec, bytes, context) > 0) return hintedCodec.id;
  let best: CodecId = 'hex';
  let bestScore = 0;
  for (const codec of codecs) {
    if (context.payloadFormatIndicator === true && codec.id !== 'json' && codec.id !== 'text') continue;
    const score = confidence(codec, bytes, context);
    if (score > bestScore) {
      best = codec.id;
      bestScore = score;
    }
  }
  return bestScore > 0 ? best : context.payloadFormatIndicator === true ? 'text' : 'hex';
}

/** Decodes with a chosen codec or 'auto'; never throws. The result says which codec was used. */
export function decodePayload(bytes: Uint8Array, id: CodecId | 'auto', context: DecodeContext = {}): PayloadDecoding {
  const codecId = id === 'auto' ? detectCodec(bytes, context) : id;
  const codec = byId.get(codecId);
  if (codec === undefined) return { ok: false, error: `Unknown payload format "${String(codecId)}".`, codec: 'hex' };
  try {
    return { ...codec.decode(bytes, context), codec: codec.id };
  } catch (error) {
    return { ok: false, error: `${codec.label} decoding failed: ${messageOf(error)}`, codec: codec.id };
  }
}

/** Encodes typed text for publishing (text, JSON, hex, base64, CBOR/MessagePack/protobuf from JSON); never throws. */
export function encodePayload(text: string, id: CodecId, context: EncodeContext = {}): EncodeResult {
  const codec = byId.get(id);
  if (codec?.encode === undefined) return { ok: false, error: `The format "${String(id)}" cannot be typed in; choose Text, JSON, Hex, Base64, CBOR, MessagePack, Protobuf or C struct.` };
  try {
    return codec.encode(text, context);
  } catch (error) {
    return { ok: false, error: `${codec.label} encoding failed: ${messageOf(error)}` };
  }
}
