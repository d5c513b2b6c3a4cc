import type { DecodeContext, DecodeResult, EncodeResult, PayloadCodec } from './types';
import { cutNote, formatCount, hexByte, utf8Encode } from './textPosition';

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 decoded for display: invalid bytes and control characters written as `\xNN`, and how many of each. */
export interface VisibleText {
  /** The text, with `\xNN` in place of each invalid byte and each control character other than tab, CR, LF. */
  text: string;
  /** Bytes that are not part of a well-formed UTF-8 sequence. */
  invalidBytes: number;
  /** C0 control characters (except tab, CR, LF) and DEL. */
  controlChars: number;
}

/** Length of the well-formed UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  let length: number;
  let min = 0x80;
  let max = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    if (b0 === 0xe0) min = 0xa0; // overlong
    if (b0 === 0xed) max = 0x9f; // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    if (b0 === 0xf0) min = 0x90; // overlong
    if (b0 === 0xf4) max = 0x8f; // above U+10FFFF
  } else return 0;
  if (i + length > bytes.length) return 0;
  const b1 = bytes[i + 1] ?? 0;
  if (b1 < min || b1 > max) return 0;
  for (let k = 2; k < length; k++) {
    const b = bytes[i + k] ?? 0;
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return length;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1 when all are. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/** Whether a UTF-16 code unit is a control character we make visible. */
function isHiddenControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
}

/** Writes control characters of already valid text as `\xNN`. */
function showControls(text: string): { text: string; count: number } {
  let count = 0;
  // eslint-disable-next-line no-control-regex
  const shown = text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (ch) => {
    count++;
    return `\\x${hexByte(ch.charCodeAt(0))}`;
  });
  return { text: shown, count };
}

/**
 * Decodes UTF-8 without hiding anything: each byte that is not part of a well-formed sequence becomes `\xNN`,
 * as does each control character other than tab, CR and LF. `mayBeCut`: an incomplete sequence at the very end
 * is dropped silently (the bytes were cut by a preview, not sent broken).
 */
export function decodeVisibleUtf8(bytes: Uint8Array, mayBeCut = false): VisibleText {
  try {
    const shown = showControls(strictDecoder.decode(bytes));
    return { text: shown.text, invalidBytes: 0, controlChars: shown.count };
  } catch {
    // Not well-formed: walk the bytes below.
  }
  const parts: string[] = [];
  let invalidBytes = 0;
  let controlChars = 0;
  let runStart = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > runStart) {
      const shown = showControls(strictDecoder.decode(bytes.subarray(runStart, end)));
      parts.push(shown.text);
      controlChars += shown.count;
    }
  };
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    flush(i);
    if (mayBeCut && bytes.length - i < 4 && isCutSequence(bytes, i)) {
      runStart = bytes.length;
      i = bytes.length;
      break;
    }
    parts.push(`\\x${hexByte(bytes[i] ?? 0)}`);
    invalidBytes++;
    i++;
    runStart = i;
  }
  flush(i);
  return { text: parts.join(''), invalidBytes, controlChars };
}

/** True when the bytes from `i` to the end are the start of a multi-byte sequence that was cut off. */
function isCutSequence(bytes: Uint8Array, i: number): boolean {
  const present = bytes.length - i;
  for (const fill of [0x80, 0x90, 0xa0]) {
    const padded = new Uint8Array(4).fill(fill);
    padded.set(bytes.subarray(i));
    const need = sequenceLength(padded, 0);
    if (need > present) return true;
  }
  return false;
}

/** The sentences describing what was made visible. */
export function visibilityNotes(decoded: VisibleText): string[] {
  const notes: string[] = [];
  if (decoded.invalidBytes > 0) {
    notes.push(`${formatCount(decoded.invalidBytes)} ${decoded.invalidBytes === 1 ? 'byte is' : 'bytes are'} not valid UTF-8 (shown as \\xNN).`);
  }
  if (decoded.controlChars > 0) {
    notes.push(`${formatCount(decoded.controlChars)} control ${decoded.controlChars === 1 ? 'character is' : 'characters are'} shown as \\xNN.`);
  }
  return notes;
}

/** True when the bytes are well-formed UTF-8 with no control characters other than tab, CR and LF. */
export function isPrintableUtf8(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i++) if (isHiddenControl(text.charCodeAt(i))) return false;
  return true;
}

/** UTF-8 text. Invalid bytes are shown as `\xNN`, never replaced silently. */
export const textCodec: PayloadCodec = {
  id: 'text',
  label: 'Text (UTF-8)',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    const max = context?.maxBytes;
    const cut = max !== undefined && max >= 0 && bytes.length > max;
    const shown = cut ? bytes.subarray(0, max) : bytes;
    const decoded = decodeVisibleUtf8(shown, cut);
    const notes = visibilityNotes(decoded);
    if (bytes.length === 0) notes.push('Empty payload.');
    if (cut) notes.push(cutNote(shown.length, bytes.length));
    return { ok: true, text: decoded.text, language: 'text', ...(notes.length > 0 ? { notes } : {}), ...(cut ? { truncated: true } : {}) };
  },
  encode(text: string): EncodeResult {
    return { ok: true, bytes: utf8Encode(text) };
  },
  detect(bytes: Uint8Array): number {
    if (bytes.length === 0) return 0.5;
    return isPrintableUtf8(bytes) ? 0.5 : 0;
  },
};
