import { decode, encode, ExtData } from '@msgpack/msgpack';
import type { DecodeContext, DecodeResult, EncodeResult, PayloadCodec } from './types';
import { scanMsgpack } from './msgpackScan';
import { parseJson } from './json';
import { formatCount, messageOf } from './textPosition';
import { tooLargeForPreview } from './previewLimit';
import { bytesText, isJsonValue, valueText } from './valueText';

/** Map keys that are not strings or numbers (allowed by MessagePack) become readable strings. */
function mapKey(key: unknown): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  if (key instanceof Uint8Array) return bytesText(key);
  return valueText(key, { dateWrap: 'timestamp' }).replace(/\s*\n\s*/g, ' ');
}

/** Decodes exactly one MessagePack object filling the whole buffer, or says at which byte it is not MessagePack. */
export function decodeMsgpack(bytes: Uint8Array): { ok: true; value: unknown; kind: 'map' | 'array' | 'other'; size: number } | { ok: false; error: string; offset?: number } {
  if (bytes.length === 0) return { ok: false, error: 'Not valid MessagePack at byte 0: empty payload', offset: 0 };
  const scan = scanMsgpack(bytes);
  if (!scan.ok) return { ok: false, error: `Not valid MessagePack at byte ${scan.offset}: ${scan.message}`, offset: scan.offset };
  if (scan.end < bytes.length) {
    const extra = bytes.length - scan.end;
    return { ok: false, error: `Not valid MessagePack at byte ${scan.end}: ${formatCount(extra)} ${extra === 1 ? 'byte' : 'bytes'} left after the first object`, offset: scan.end };
  }
  try {
    const value: unknown = decode(bytes, { useBigInt64: true, mapKeyConverter: mapKey });
    return { ok: true, value, kind: scan.kind, size: scan.size };
  } catch (error) {
    return { ok: false, error: `Not valid MessagePack: ${messageOf(error)}` };
  }
}

/** MessagePack via @msgpack/msgpack: decode to JSON (extensions as ext(type, h'..')); encode from JSON. */
export const msgpackCodec: PayloadCodec = {
  id: 'msgpack',
  label: 'MessagePack',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    const tooLarge = tooLargeForPreview(bytes, context);
    if (tooLarge) return tooLarge;
    const decoded = decodeMsgpack(bytes);
    if (!decoded.ok) return decoded;
    try {
      const text = valueText(decoded.value, {
        dateWrap: 'timestamp',
        special: (v) => (v instanceof ExtData ? { text: `ext(${v.type}, ${bytesText(v.data instanceof Uint8Array ? v.data : new Uint8Array(0))})` } : undefined),
      });
      const notes = isJsonValue(decoded.value) ? undefined : ["Values JSON cannot hold are shown as h'..' (binary), ext(type, h'..') and timestamp(..)."];
      return { ok: true, text, language: 'json', value: decoded.value, ...(notes ? { notes } : {}) };
    } catch (error) {
      return { ok: false, error: `MessagePack decoded but could not be shown: ${messageOf(error)}` };
    }
  },
  encode(text: string): EncodeResult {
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed;
    try {
      return { ok: true, bytes: new Uint8Array(encode(parsed.value)) };
    } catch (error) {
      return { ok: false, error: `Could not encode as MessagePack: ${messageOf(error)}` };
    }
  },
  detect(bytes: Uint8Array): number {
    // Like CBOR: only a whole-buffer, non-empty map or array counts.
    if (bytes.length < 2) return 0;
    const decoded = decodeMsgpack(bytes);
    if (!decoded.ok || decoded.kind === 'other' || decoded.size === 0) return 0;
    const value = decoded.value;
    if (decoded.kind === 'map') {
      return typeof value === 'object' && value !== null && Object.keys(value).every((k) => !k.startsWith("h'")) ? 0.7 : 0.35;
    }
    return 0.4;
  },
};
