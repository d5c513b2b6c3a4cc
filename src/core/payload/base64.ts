import type { DecodeContext, DecodeResult, EncodeResult, PayloadCodec } from './types';
import { cutNote, positionAt, showChar } from './textPosition';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
VALUES[0x2d] = 62; // '-' of base64url
VALUES[0x5f] = 63; // '_' of base64url

/** Standard base64 (RFC 4648, with `=` padding). */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const left = bytes.length - i;
    chunk +=
      ALPHABET.charAt(b0 >> 2) +
      ALPHABET.charAt(((b0 & 3) << 4) | (b1 >> 4)) +
      (left > 1 ? ALPHABET.charAt(((b1 & 15) << 2) | (b2 >> 6)) : '=') +
      (left > 2 ? ALPHABET.charAt(b2 & 63) : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/**
 * Parses base64 or base64url; whitespace is ignored, padding is optional but must be right when present.
 * Errors name the line and column of the first bad character.
 */
export function parseBase64(text: string): EncodeResult {
  const sextets: number[] = [];
  const positions: number[] = [];
  let padAt = -1;
  let pads = 0;
  const error = (index: number, what: string): EncodeResult => {
    const at = positionAt(text, index);
    return { ok: false, error: `Not valid base64 at line ${at.line}, column ${at.column}: ${what}`, line: at.line, column: at.column, offset: at.offset };
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) continue;
    if (code === 0x3d) {
      if (padAt < 0) padAt = i;
      pads++;
      continue;
    }
    const value = code < 128 ? (VALUES[code] ?? -1) : -1;
    if (value < 0) return error(i, `${showChar(String.fromCodePoint(text.codePointAt(i) ?? 0))} is not a base64 character`);
    if (padAt >= 0) return error(i, "characters after '=' padding");
    sextets.push(value);
    positions.push(i);
  }
  const rest = sextets.length % 4;
  if (rest === 1) return error(positions[positions.length - 1] ?? 0, 'a single character cannot end base64 (length is one more than a multiple of 4)');
  if (pads > 0 && (rest === 0 || pads !== 4 - rest)) return error(padAt, `wrong '=' padding (${rest === 0 ? 0 : 4 - rest} expected)`);
  const out = new Uint8Array(Math.floor((sextets.length * 6) / 8));
  let o = 0;
  for (let i = 0; i < sextets.length; i += 4) {
    const s0 = sextets[i] ?? 0;
    const s1 = sextets[i + 1] ?? 0;
    const s2 = sextets[i + 2] ?? 0;
    const s3 = sextets[i + 3] ?? 0;
    if (o < out.length) out[o++] = (s0 << 2) | (s1 >> 4);
    if (o < out.length) out[o++] = ((s1 & 15) << 4) | (s2 >> 2);
    if (o < out.length) out[o++] = ((s2 & 3) << 6) | s3;
  }
  return { ok: true, bytes: out };
}

/** Base64: decode shows the payload as base64 text; encode accepts base64 (or base64url) text. */
export const base64Codec: PayloadCodec = {
  id: 'base64',
  label: 'Base64',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    const max = context?.maxBytes;
    // A cut preview stays on a 3-byte boundary so the shown prefix is exactly the prefix of the full text.
    const limit = max !== undefined && max >= 0 && bytes.length > max ? max - (max % 3) : bytes.length;
    const cut = limit < bytes.length;
    const notes = bytes.length === 0 ? ['Empty payload.'] : cut ? [cutNote(limit, bytes.length)] : undefined;
    return { ok: true, text: toBase64(bytes.subarray(0, limit)), language: 'text', ...(notes ? { notes } : {}), ...(cut ? { truncated: true } : {}) };
  },
  encode(text: string): EncodeResult {
    return parseBase64(text);
  },
};
