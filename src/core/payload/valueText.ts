/**
 * Pretty text of a decoded CBOR or MessagePack value. JSON values print exactly as JSON.stringify(v, null, 2);
 * what JSON cannot say is written in CBOR diagnostic notation (RFC 8949 section 8): byte strings as h'0102',
 * tags as 1(...), Maps with non-string keys as {1: "a"}, undefined, NaN, Infinity, big integers as digits.
 */

import { hexByte } from './textPosition';

/** How a format-specific object prints: a tag-like wrapper around an inner value, or literal text. */
export type SpecialText = { wrap: string; inner: unknown } | { text: string };

/** Format-specific printing rules. */
export interface ValueTextOptions {
  /** Returns how to print an object the generic printer does not know (a CBOR Tag, a MessagePack extension). */
  special?: (value: object) => SpecialText | undefined;
  /** Name put before a Date, e.g. "0" (CBOR date/time string tag) or "timestamp" (MessagePack). */
  dateWrap: string;
}

const MAX_DEPTH = 256;

/** `h'48656c6c6f'`: a byte string in diagnostic notation. */
export function bytesText(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += hexByte(b);
  return `h'${hex}'`;
}

/** Pretty prints a decoded value (2-space indentation, like JSON.stringify). */
export function valueText(value: unknown, options: ValueTextOptions): string {
  const ancestors = new Set<object>();

  const scalar = (v: unknown): string | undefined => {
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'number':
        return String(v); // NaN, Infinity, -Infinity as in diagnostic notation
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return v.toString();
      case 'undefined':
        return 'undefined';
      case 'symbol':
      case 'function':
        return `"${String(v)}"`;
      default:
        return v === null ? 'null' : undefined;
    }
  };

  const print = (v: unknown, indent: string, depth: number): string => {
    const s = scalar(v);
    if (s !== undefined) return s;
    const obj = v as object;
    if (depth > MAX_DEPTH) return '"… (nested too deep to show)"';
    if (ancestors.has(obj)) return '"… (circular reference)"';
    if (obj instanceof Uint8Array) return bytesText(obj);
    if (ArrayBuffer.isView(obj)) return print(Array.from(obj as unknown as ArrayLike<number | bigint>), indent, depth);
    if (obj instanceof ArrayBuffer) return bytesText(new Uint8Array(obj));
    if (obj instanceof Date) return `${options.dateWrap}(${JSON.stringify(Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString())})`;
    const special = options.special?.(obj);
    if (special !== undefined) {
      if ('text' in special) return special.text;
      ancestors.add(obj);
      const inner = print(special.inner, indent, depth + 1);
      ancestors.delete(obj);
      return `${special.wrap}(${inner})`;
    }
    const inner = indent + '  ';
    ancestors.add(obj);
    let out: string;
    if (Array.isArray(obj) || obj instanceof Set) {
      const items = Array.from(obj as Iterable<unknown>, (item) => inner + print(item, inner, depth + 1));
      out = items.length === 0 ? '[]' : `[\n${items.join(',\n')}\n${indent}]`;
      if (obj instanceof Set) out = `258(${out})`;
    } else {
      const entries: [unknown, unknown][] = obj instanceof Map ? Array.from(obj.entries()) : Object.entries(obj);
      const items = entries.map(([k, item]) => `${inner}${typeof k === 'string' ? JSON.stringify(k) : print(k, inner, depth + 1)}: ${print(item, inner, depth + 1)}`);
      out = items.length === 0 ? '{}' : `{\n${items.join(',\n')}\n${indent}}`;
    }
    ancestors.delete(obj);
    return out;
  };

  return print(value, '', 0);
}

/** True when every value inside is a JSON value (then the text is valid JSON). */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((v) => isJsonValue(v, depth + 1));
  }
  if (value instanceof Map) return Array.from(value.entries()).every(([k, v]) => typeof k === 'string' && isJsonValue(v, depth + 1));
  return false;
}
