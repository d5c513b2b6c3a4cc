import type { DecodeContext, DecodeResult, EncodeResult, PayloadCodec } from './types';
import { cutNote, hexByte, positionAt, showChar } from './textPosition';

const BYTES_PER_LINE = 16;

/**
 * A hex dump, 16 bytes a line: `00000000  48 65 6c 6c 6f  |Hello|`. Offset in 8 hex digits, bytes in lowercase
 * hex, then the printable ASCII with "." for other bytes. When the dump has more than one line, a short last
 * line is padded so the ASCII column lines up.
 */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  const multiLine = bytes.length > BYTES_PER_LINE;
  for (let start = 0; start < bytes.length; start += BYTES_PER_LINE) {
    const end = Math.min(start + BYTES_PER_LINE, bytes.length);
    let hex = '';
    let ascii = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i] ?? 0;
      hex += (i > start ? ' ' : '') + hexByte(b);
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    if (multiLine) hex = hex.padEnd(BYTES_PER_LINE * 3 - 1, ' ');
    lines.push(`${start.toString(16).padStart(8, '0')}  ${hex}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** Lowercase hex digits without separators, e.g. for correlation data. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += hexByte(b);
  return out;
}

const SEPARATORS = new Set([' ', '\t', '\n', '\r', ',', ':', '-']);

/**
 * Parses typed hex: digit pairs, separated or not by spaces, newlines, commas, colons or dashes; each group
 * may start with `0x`. Every group needs an even number of digits, so "0x1" is refused rather than guessed.
 */
export function parseHex(text: string): EncodeResult {
  const out: number[] = [];
  let i = 0;
  const n = text.length;
  const error = (index: number, what: string): EncodeResult => {
    const at = positionAt(text, index);
    return { ok: false, error: `Not valid hex at line ${at.line}, column ${at.column}: ${what}`, line: at.line, column: at.column, offset: at.offset };
  };
  while (i < n) {
    const ch = text.charAt(i);
    if (SEPARATORS.has(ch)) {
      i++;
      continue;
    }
    const groupStart = i;
    if (ch === '0' && (text.charAt(i + 1) === 'x' || text.charAt(i + 1) === 'X')) i += 2;
    const digitsStart = i;
    while (i < n && !SEPARATORS.has(text.charAt(i))) {
      const code = text.charCodeAt(i);
      const isHex = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
      if (!isHex) return error(i, `${showChar(String.fromCodePoint(text.codePointAt(i) ?? 0))} is not a hex digit`);
      i++;
    }
    const digits = i - digitsStart;
    if (digits === 0) return error(groupStart, "'0x' is not followed by hex digits");
    if (digits % 2 === 1) return error(groupStart, `"${text.slice(groupStart, i)}" has an odd number of hex digits`);
    for (let k = digitsStart; k < i; k += 2) out.push(parseInt(text.slice(k, k + 2), 16));
  }
  return { ok: true, bytes: Uint8Array.from(out) };
}

/** Hex dump for reading; hex digits for typing. */
export const hexCodec: PayloadCodec = {
  id: 'hex',
  label: 'Hex',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    const max = context?.maxBytes;
    const cut = max !== undefined && max >= 0 && bytes.length > max;
    const shown = cut ? bytes.subarray(0, max) : bytes;
    const notes = bytes.length === 0 ? ['Empty payload.'] : cut ? [cutNote(shown.length, bytes.length)] : undefined;
    return { ok: true, text: hexDump(shown), language: 'hex', ...(notes ? { notes } : {}), ...(cut ? { truncated: true } : {}) };
  },
  encode(text: string): EncodeResult {
    return parseHex(text);
  },
  detect(): number {
    return 0.01; // Anything can be shown as hex: the fallback.
  },
};
