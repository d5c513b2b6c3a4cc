/**
 * A strict JSON (RFC 8259) syntax check that reports WHERE the first error is. JSON.parse messages differ
 * between V8 versions and browsers and some give no position, so the publish form and the JSON codec use
 * this scanner for the position and JSON.parse only for the value. Iterative: deep nesting cannot overflow.
 */

import { showChar } from './textPosition';

/** The first syntax error of a JSON text: UTF-16 index into the text and a lowercase description. */
export interface JsonSyntaxError {
  /** UTF-16 index of the offending character (text length for an unexpected end). */
  index: number;
  /** E.g. "expected ',' or '}' after a property value". */
  message: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** Returns the first syntax error of `text`, or undefined when it is one valid JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const stack: number[] = []; // 0x7b '{' or 0x5b '['
  const n = text.length;
  const fail = (message: string, at = i): JsonSyntaxError => ({
    index: at,
    message: at >= n ? `unexpected end of input (${message})` : `${message}, found ${showChar(String.fromCodePoint(text.codePointAt(at) ?? 0))}`,
  });
  const skip = (): void => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const scanString = (): JsonSyntaxError | undefined => {
    i++; // opening quote
    for (;;) {
      if (i >= n) return { index: n, message: 'unexpected end of input (unterminated string)' };
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return { index: i, message: `control character ${showChar(text.charAt(i))} must be escaped in a string` };
      if (c === 0x5c) {
        const e = text.charAt(i + 1);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { index: i, message: 'invalid \\u escape (4 hex digits expected)' };
          i += 6;
        } else if (ESCAPES.has(e)) i += 2;
        else return i + 1 >= n ? { index: n, message: 'unexpected end of input (unterminated string)' } : { index: i, message: `invalid escape '\\${e}' in a string` };
        continue;
      }
      i++;
    }
  };
  const scanValue = (): JsonSyntaxError | 'open' | undefined => {
    skip();
    if (i >= n) return fail('expected a value');
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      stack.push(c);
      i++;
      return 'open';
    }
    if (c === 0x22) return scanString();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return undefined;
      }
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m === null) return fail('invalid number', i + 1);
      i += m[0].length;
      const next = text.charCodeAt(i);
      if (next === 0x2e || next === 0x65 || next === 0x45 || (next >= 0x30 && next <= 0x39)) return fail('invalid number');
      return undefined;
    }
    return fail('expected a value');
  };

  let state: 'value' | 'key' | 'after' = 'value';
  let afterComma = false;
  for (;;) {
    if (state === 'value') {
      const r = scanValue();
      if (r === 'open') {
        skip();
        const close = stack[stack.length - 1] === 0x7b ? 0x7d : 0x5d;
        if (text.charCodeAt(i) === close) {
          i++;
          stack.pop();
          state = 'after';
        } else state = close === 0x7d ? 'key' : 'value';
        afterComma = false;
        continue;
      }
      if (r !== undefined) {
        if (afterComma && text.charCodeAt(i) === 0x5d) return { index: i, message: "trailing comma before ']'" };
        return r;
      }
      state = 'after';
    } else if (state === 'key') {
      skip();
      if (text.charCodeAt(i) !== 0x22) {
        if (afterComma && text.charCodeAt(i) === 0x7d) return { index: i, message: "trailing comma before '}'" };
        return fail('expected a property name in double quotes');
      }
      const r = scanString();
      if (r !== undefined) return r;
      skip();
      if (text.charCodeAt(i) !== 0x3a) return fail("expected ':' after a property name");
      i++;
      state = 'value';
      afterComma = false;
    } else {
      skip();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? fail('unexpected text after the JSON value') : undefined;
      const c = text.charCodeAt(i);
      const close = top === 0x7b ? 0x7d : 0x5d;
      if (c === 0x2c) {
        i++;
        state = top === 0x7b ? 'key' : 'value';
        afterComma = true;
      } else if (c === close) {
        i++;
        stack.pop();
      } else {
        return fail(top === 0x7b ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element");
      }
    }
  }
}
