/** Shared helpers: UTF-8 and positions in typed text, error messages from unknown throwables. */

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A place in typed text: 1-based line and column (in characters), and the UTF-8 byte offset. */
export interface TextPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in characters (code points). */
  column: number;
  /** UTF-8 byte offset from the start of the text. */
  offset: number;
}

/** Line, column and byte offset of the UTF-16 index `index` in `text` (CRLF, CR and LF end a line). */
export function positionAt(text: string, index: number): TextPosition {
  let line = 1;
  let column = 1;
  let offset = 0;
  const end = Math.min(index, text.length);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      column = 1;
      offset += 1;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < end) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        offset += 4;
        column++;
        continue;
      }
    }
    offset += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    column++;
  }
  return { line, column, offset };
}

/** The message of anything thrown, as one sentence without a trailing period. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
  return text.replace(/\.\s*$/, '');
}

/** 1048576 -> "1,048,576". */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** The sentence saying a preview was cut. */
export function cutNote(shown: number, total: number): string {
  return `Showing the first ${formatCount(shown)} of ${formatCount(total)} bytes.`;
}

/** Two lowercase hex digits of a byte. */
export function hexByte(byte: number): string {
  return (byte < 16 ? '0' : '') + byte.toString(16);
}

/** A character for an error message: printable as itself in quotes, otherwise as U+XXXX. */
export function showChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}
