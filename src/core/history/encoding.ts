/**
 * Byte and text helpers of the message history: payload text for search, strict UTF-8 for export,
 * hex, Base64 and the JSON form of MQTT 5 properties. Pure TypeScript: no Node built-ins, so the
 * same code runs in the webview.
 */
import type { PublishProperties, UserProperty } from '../../shared/mqttMessage';

/**
 * How many payload bytes text and regex search look at. Only this head of each payload is decoded (a
 * multi-byte character cut at the boundary becomes U+FFFD), so a 10 MB payload costs no more than 64 KB.
 */
export const SEARCH_TEXT_BYTES = 64 * 1024;

const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * The text search and regex filters look at: the first {@link SEARCH_TEXT_BYTES} bytes of the payload
 * decoded as UTF-8, invalid sequences replaced by U+FFFD (never throws).
 */
export function searchText(payload: Uint8Array): string {
  return lenientDecoder.decode(payload.byteLength > SEARCH_TEXT_BYTES ? payload.subarray(0, SEARCH_TEXT_BYTES) : payload);
}

/**
 * Case-insensitive search of an ASCII needle (given lower-case, as bytes) in the first
 * {@link SEARCH_TEXT_BYTES} bytes of a payload, without decoding it.
 * @returns 1 found, 0 not found in an all-ASCII head, -1 not found but a non-ASCII byte was seen (the
 * caller then decodes, since characters like U+212A KELVIN SIGN lower-case to ASCII).
 */
export function asciiSearchFolded(payload: Uint8Array, needle: Uint8Array): 1 | 0 | -1 {
  const n = Math.min(payload.byteLength, SEARCH_TEXT_BYTES);
  const m = needle.byteLength;
  const first = needle[0];
  let ascii = true;
  for (let i = 0; i < n; i++) {
    let b = payload[i];
    if (b >= 0x80) {
      ascii = false;
      continue;
    }
    if (b >= 0x41 && b <= 0x5a) b |= 0x20;
    if (b !== first || i + m > n) continue;
    let j = 1;
    for (; j < m; j++) {
      let c = payload[i + j];
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== needle[j]) break;
    }
    if (j === m) return 1;
  }
  return ascii ? 0 : -1;
}

/**
 * The payload as text when it is text: valid UTF-8 (a BOM is kept) with no control characters other than
 * tab, line feed and carriage return. `undefined` for anything else, which exports then write as Base64.
 */
export function payloadAsText(payload: Uint8Array): string | undefined {
  for (let i = 0; i < payload.byteLength; i++) {
    const b = payload[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return undefined;
  }
  try {
    return strictDecoder.decode(payload);
  } catch {
    return undefined;
  }
}

/** Strict UTF-8 decoding; throws a TypeError on invalid bytes. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

/** UTF-8 bytes of a string (a lone surrogate becomes U+FFFD). */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case hex without separators: `[0xde, 0xad]` -> `dead`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.byteLength; i++) out += HEX[bytes[i]];
  return out;
}

/** The bytes of an even-length hex string; `undefined` when it is not one. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard Base64 (RFC 4648, `+/`, with `=` padding). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.byteLength;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[v >> 18] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63];
  }
  if (i + 1 === n) {
    const v = bytes[i] << 16;
    out += `${B64[v >> 18]}${B64[(v >> 12) & 63]}==`;
  } else if (i + 2 === n) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${B64[v >> 18]}${B64[(v >> 12) & 63]}${B64[(v >> 6) & 63]}=`;
  }
  return out;
}

/** MQTT 5 properties as plain JSON: correlation data as hex, user properties as `[key, value]` pairs. */
export interface PropertiesJson {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  topicAlias?: number;
  responseTopic?: string;
  correlationData?: string;
  userProperties?: [string, string][];
  subscriptionIdentifiers?: number[];
  contentType?: string;
}

/** The JSON form of MQTT 5 properties, keys in a fixed order; `undefined` when none is set. */
export function propertiesToJson(p: PublishProperties | undefined): PropertiesJson | undefined {
  if (p === undefined) return undefined;
  const out: PropertiesJson = {};
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = p.payloadFormatIndicator;
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval;
  if (p.topicAlias !== undefined) out.topicAlias = p.topicAlias;
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic;
  if (p.correlationData !== undefined) out.correlationData = toHex(p.correlationData);
  if (p.userProperties !== undefined) out.userProperties = p.userProperties.map(([k, v]): [string, string] => [k, v]);
  if (p.subscriptionIdentifiers !== undefined) out.subscriptionIdentifiers = [...p.subscriptionIdentifiers];
  if (p.contentType !== undefined) out.contentType = p.contentType;
  return Object.keys(out).length === 0 ? undefined : out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');
const isPair = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';

/**
 * Properties back from their JSON form (see {@link propertiesToJson}).
 * @throws Error naming the first field of the wrong type.
 */
export function propertiesFromJson(value: unknown): PublishProperties {
  if (!isRecord(value)) throw new Error('properties are not an object');
  const out: PublishProperties = {};
  const bad = (key: string): Error => new Error(`property ${key} has the wrong type`);
  const { payloadFormatIndicator, messageExpiryInterval, topicAlias, responseTopic, correlationData, userProperties, subscriptionIdentifiers, contentType } = value;
  if (payloadFormatIndicator !== undefined) {
    if (typeof payloadFormatIndicator !== 'boolean') throw bad('payloadFormatIndicator');
    out.payloadFormatIndicator = payloadFormatIndicator;
  }
  if (messageExpiryInterval !== undefined) {
    if (typeof messageExpiryInterval !== 'number') throw bad('messageExpiryInterval');
    out.messageExpiryInterval = messageExpiryInterval;
  }
  if (topicAlias !== undefined) {
    if (typeof topicAlias !== 'number') throw bad('topicAlias');
    out.topicAlias = topicAlias;
  }
  if (responseTopic !== undefined) {
    if (typeof responseTopic !== 'string') throw bad('responseTopic');
    out.responseTopic = responseTopic;
  }
  if (correlationData !== undefined) {
    const bytes = typeof correlationData === 'string' ? fromHex(correlationData) : undefined;
    if (bytes === undefined) throw bad('correlationData');
    out.correlationData = bytes;
  }
  if (userProperties !== undefined) {
    if (!Array.isArray(userProperties) || !userProperties.every(isPair)) throw bad('userProperties');
    out.userProperties = userProperties.map(([k, v]): UserProperty => [k, v]);
  }
  if (subscriptionIdentifiers !== undefined) {
    if (!isNumberArray(subscriptionIdentifiers)) throw bad('subscriptionIdentifiers');
    out.subscriptionIdentifiers = [...subscriptionIdentifiers];
  }
  if (contentType !== undefined) {
    if (typeof contentType !== 'string') throw bad('contentType');
    out.contentType = contentType;
  }
  return out;
}

/**
 * Bytes the properties add to an entry's accounted size: UTF-16 strings at 2 bytes a unit, correlation
 * data at its length, 8 per number, 32 per user property pair on top of its strings.
 */
export function propertiesBytes(p: PublishProperties | undefined): number {
  if (p === undefined) return 0;
  let bytes = 0;
  if (p.responseTopic !== undefined) bytes += p.responseTopic.length * 2;
  if (p.contentType !== undefined) bytes += p.contentType.length * 2;
  if (p.correlationData !== undefined) bytes += p.correlationData.byteLength;
  if (p.messageExpiryInterval !== undefined) bytes += 8;
  if (p.topicAlias !== undefined) bytes += 8;
  if (p.subscriptionIdentifiers !== undefined) bytes += p.subscriptionIdentifiers.length * 8;
  if (p.userProperties !== undefined) for (const [k, v] of p.userProperties) bytes += 32 + (k.length + v.length) * 2;
  return bytes;
}
