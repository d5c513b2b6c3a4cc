import { Decoder, Encoder, Tag } from 'cbor-x';
import type { DecodeContext, DecodeResult, EncodeResult, PayloadCodec } from './types';
import { scanCbor } from './cborScan';
import { parseJson } from './json';
import { formatCount, messageOf } from './textPosition';
import { tooLargeForPreview } from './previewLimit';
import { isJsonValue, valueText } from './valueText';

// Maps stay Maps (keys may be numbers or byte strings); no records/structures (a cbor-x extension other
// devices do not send). These options also keep cbor-x away from its eval-based fast paths.
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

const SELF_DESCRIBED = 55799;

/** Prints cbor-x values: unknown tags as `tag(value)`. */
function cborText(value: unknown): string {
  return valueText(value, {
    dateWrap: '0',
    special: (v) => (v instanceof Tag ? { wrap: String(v.tag), inner: v.value as unknown } : undefined),
  });
}

/** Decodes exactly one CBOR item filling the whole buffer, or says at which byte it is not CBOR. */
export function decodeCbor(bytes: Uint8Array): { ok: true; value: unknown; majorType: number; tag?: number } | { ok: false; error: string; offset?: number } {
  if (bytes.length === 0) return { ok: false, error: 'Not valid CBOR at byte 0: empty payload', offset: 0 };
  const scan = scanCbor(bytes);
  if (!scan.ok) return { ok: false, error: `Not valid CBOR at byte ${scan.offset}: ${scan.message}`, offset: scan.offset };
  if (scan.end < bytes.length) {
    const extra = bytes.length - scan.end;
    return { ok: false, error: `Not valid CBOR at byte ${scan.end}: ${formatCount(extra)} ${extra === 1 ? 'byte' : 'bytes'} left after the first item`, offset: scan.end };
  }
  try {
    const value: unknown = decoder.decode(bytes);
    return { ok: true, value, majorType: scan.majorType, ...(scan.tag !== undefined ? { tag: scan.tag } : {}) };
  } catch (error) {
    const raw = messageOf(error);
    if (/indefinite length not supported/i.test(raw)) {
      // Well-formed (the scan passed) but beyond cbor-x: say so rather than call the data invalid.
      return { ok: false, error: 'This CBOR uses indefinite-length byte or text strings, which are valid but not supported by the CBOR decoder (cbor-x); view it as Hex.' };
    }
    return { ok: false, error: `Not valid CBOR: ${raw}` };
  }
}

/** CBOR (RFC 8949) via cbor-x: decode to JSON, or diagnostic notation where JSON cannot say it; encode from JSON. */
export const cborCodec: PayloadCodec = {
  id: 'cbor',
  label: 'CBOR',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    const tooLarge = tooLargeForPreview(bytes, context);
    if (tooLarge) return tooLarge;
    const decoded = decodeCbor(bytes);
    if (!decoded.ok) return decoded;
    try {
      const notes = isJsonValue(decoded.value) ? undefined : ['Shown in CBOR diagnostic notation: h\'..\' is a byte string, N(..) a tagged value.'];
      return { ok: true, text: cborText(decoded.value), language: 'json', value: decoded.value, ...(notes ? { notes } : {}) };
    } catch (error) {
      return { ok: false, error: `CBOR decoded but could not be shown: ${messageOf(error)}` };
    }
  },
  encode(text: string): EncodeResult {
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed;
    try {
      // Copy: cbor-x returns a view of its reusable buffer.
      return { ok: true, bytes: new Uint8Array(encoder.encode(parsed.value) as Uint8Array) };
    } catch (error) {
      return { ok: false, error: `Could not encode as CBOR: ${messageOf(error)}` };
    }
  },
  detect(bytes: Uint8Array): number {
    // Only a whole-buffer map or array (optionally under the self-described tag) counts: a random binary or
    // text almost never is one, while a number or string "decodes" from nearly anything.
    if (bytes.length < 2) return 0;
    const decoded = decodeCbor(bytes);
    if (!decoded.ok || (decoded.majorType !== 4 && decoded.majorType !== 5)) return 0;
    if (decoded.tag !== undefined && decoded.tag !== SELF_DESCRIBED) return 0;
    if (decoded.tag === SELF_DESCRIBED) return 0.95;
    const value = decoded.value;
    if (value instanceof Map) {
      if (value.size === 0) return 0.1;
      return Array.from(value.keys()).every((k) => typeof k === 'string' || typeof k === 'number') ? 0.75 : 0.4;
    }
    return Array.isArray(value) && value.length > 0 ? 0.45 : 0.1;
  },
};
