import type { DecodeContext, DecodeResult, EncodeContext, EncodeResult, PayloadCodec } from './types';
import { findJsonSyntaxError } from './jsonSyntax';
import { messageOf, positionAt, utf8Encode } from './textPosition';
import { firstInvalidUtf8 } from './text';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A JSON text parsed, or the first error with line, column and UTF-8 byte offset in the text. */
export type JsonParse =
  | { ok: true; value: unknown }
  | { ok: false; error: string; line: number; column: number; offset: number };

/**
 * Parses JSON text strictly. On error the message reads
 * "Not valid JSON at line 3, column 5 (byte 27): expected ',' or '}' after a property value, found '\"'".
 * `byteBase` is added to the reported byte offset (e.g. 3 when a BOM was stripped first).
 */
export function parseJson(text: string, byteBase = 0): JsonParse {
  const syntax = findJsonSyntaxError(text);
  if (syntax !== undefined) {
    const at = positionAt(text, syntax.index);
    const offset = at.offset + byteBase;
    return { ok: false, error: `Not valid JSON at line ${at.line}, column ${at.column} (byte ${offset}): ${syntax.message}`, line: at.line, column: at.column, offset };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // Only reachable if the scanner and the engine disagree; still a sentence, never a throw.
    return { ok: false, error: `Not valid JSON: ${messageOf(error)}`, line: 1, column: 1, offset: byteBase };
  }
}

/** Decodes UTF-8 JSON bytes; the failure names the byte of a bad UTF-8 sequence. */
export function parseJsonBytes(bytes: Uint8Array): JsonParse | { ok: false; error: string; offset: number } {
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return { ok: false, error: `Not valid JSON at byte ${offset}: not valid UTF-8`, offset };
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return parseJson(text, bom);
}

/** JSON formatted with 2 spaces, or minified. */
export function stringifyJson(value: unknown, style: 'minify' | 'pretty'): string {
  return JSON.stringify(value, null, style === 'pretty' ? 2 : undefined) ?? 'null';
}

/** JSON: decode pretty prints with 2 spaces; encode validates with line:column and minifies or pretty prints. */
export const jsonCodec: PayloadCodec = {
  id: 'json',
  label: 'JSON',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    if (context?.maxBytes !== undefined && bytes.length > context.maxBytes) {
      return { ok: false, error: `Payload of ${bytes.length} bytes is larger than the ${context.maxBytes} bytes decoded in a preview; select the message to see it all.` };
    }
    const parsed = parseJsonBytes(bytes);
    if (!parsed.ok) return { ok: false, error: parsed.error, offset: parsed.offset };
    return { ok: true, text: stringifyJson(parsed.value, 'pretty'), language: 'json', value: parsed.value };
  },
  encode(text: string, context?: EncodeContext): EncodeResult {
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed;
    return { ok: true, bytes: utf8Encode(stringifyJson(parsed.value, context?.jsonStyle ?? 'minify')) };
  },
  detect(bytes: Uint8Array): number {
    if (bytes.length === 0) return 0;
    const first = bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
    // Cheap reject before decoding: JSON starts with one of { [ " - 0-9 t f n.
    if (first === undefined || !'{["-0123456789tfn'.includes(String.fromCharCode(first))) return 0;
    const parsed = parseJsonBytes(bytes);
    if (!parsed.ok) return 0;
    return typeof parsed.value === 'object' && parsed.value !== null ? 0.9 : 0.6;
  },
};
