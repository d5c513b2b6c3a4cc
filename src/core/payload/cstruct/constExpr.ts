import type { Token } from './tokens';

/** Reads tokens for the constant-expression evaluator. */
export interface TokenCursor {
  peek(ahead?: number): Token;
  next(): Token;
}

/** Thrown inside the parser with the token at fault; turned into a HeaderProblem by the parser. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly token: Token,
  ) {
    super(message);
  }
}

const BINARY: Record<string, [precedence: number, apply: (a: number, b: number) => number]> = {
  '||': [1, (a, b) => Number(a !== 0 || b !== 0)],
  '&&': [2, (a, b) => Number(a !== 0 && b !== 0)],
  '|': [3, (a, b) => Number(BigInt(a) | BigInt(b))],
  '^': [4, (a, b) => Number(BigInt(a) ^ BigInt(b))],
  '&': [5, (a, b) => Number(BigInt(a) & BigInt(b))],
  '==': [6, (a, b) => Number(a === b)],
  '!=': [6, (a, b) => Number(a !== b)],
  '<': [7, (a, b) => Number(a < b)],
  '>': [7, (a, b) => Number(a > b)],
  '<=': [7, (a, b) => Number(a <= b)],
  '>=': [7, (a, b) => Number(a >= b)],
  '<<': [8, (a, b) => a * 2 ** b],
  '>>': [8, (a, b) => Math.floor(a / 2 ** b)],
  '+': [9, (a, b) => a + b],
  '-': [9, (a, b) => a - b],
  '*': [10, (a, b) => a * b],
  '/': [10, (a, b) => Math.trunc(a / b)],
  '%': [10, (a, b) => a % b],
};

const TYPE_WORDS = new Set(['unsigned', 'signed', 'char', 'short', 'int', 'long', 'float', 'double', 'bool', '_Bool', 'const', 'volatile']);

/** The value of an integer literal: decimal, 0x hex, 0b binary, 0 octal, with u/l suffixes and ' separators. */
function literalValue(token: Token): number {
  const text = token.text.replace(/'/g, '').replace(/[uUlL]+$/, '');
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = Number.parseInt(text.slice(2), 16);
  else if (/^0[bB][01]+$/.test(text)) value = Number.parseInt(text.slice(2), 2);
  else if (/^0[0-7]+$/.test(text)) value = Number.parseInt(text.slice(1), 8);
  else if (/^[0-9]+$/.test(text)) value = Number.parseInt(text, 10);
  else throw new ParseError(`"${token.text}" is not an integer constant.`, token);
  return value;
}

/** The value of a character literal such as 'A' or '\n'. */
function charValue(token: Token): number {
  const body = token.text.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, "'": 39, '"': 34 };
  if (body.startsWith('\\')) return escapes[body.slice(1)] ?? Number.parseInt(body.slice(2), 16);
  return body.codePointAt(0) ?? 0;
}

/**
 * Evaluates an integer constant expression (array sizes, bit-field widths, enum values): literals, `#define`d
 * names (already expanded), enum constants, parentheses, casts to integer types, unary - + ~ !, the binary
 * arithmetic, shift, bitwise, comparison and logical operators, and `?:`.
 */
export function evaluate(cursor: TokenCursor, constants: ReadonlyMap<string, number>, minPrecedence = 0): number {
  let left = unary(cursor, constants);
  for (;;) {
    const op = cursor.peek();
    if (op.kind === 'punct' && op.text === '?' && minPrecedence === 0) {
      cursor.next();
      const whenTrue = evaluate(cursor, constants);
      expect(cursor, ':');
      const whenFalse = evaluate(cursor, constants);
      left = left !== 0 ? whenTrue : whenFalse;
      continue;
    }
    const entry = op.kind === 'punct' ? BINARY[op.text] : undefined;
    if (entry === undefined || entry[0] <= minPrecedence) return left;
    cursor.next();
    const right = evaluate(cursor, constants, entry[0]);
    if ((op.text === '/' || op.text === '%') && right === 0) throw new ParseError('Division by zero in a constant expression.', op);
    left = entry[1](left, right);
  }
}

function expect(cursor: TokenCursor, text: string): void {
  const token = cursor.next();
  if (token.text !== text) throw new ParseError(`Expected "${text}" but found "${token.text}".`, token);
}

function unary(cursor: TokenCursor, constants: ReadonlyMap<string, number>): number {
  const token = cursor.next();
  if (token.kind === 'number') return literalValue(token);
  if (token.kind === 'char') return charValue(token);
  if (token.kind === 'ident') {
    const value = constants.get(token.text);
    if (value === undefined) throw new ParseError(`"${token.text}" is not a known constant (#define it or declare it in an enum before it is used).`, token);
    return value;
  }
  if (token.text === '(') {
    if (isCast(cursor)) {
      while (cursor.peek().text !== ')') cursor.next();
      cursor.next();
      return unary(cursor, constants);
    }
    const value = evaluate(cursor, constants);
    expect(cursor, ')');
    return value;
  }
  if (token.text === '-') return -unary(cursor, constants);
  if (token.text === '+') return unary(cursor, constants);
  if (token.text === '~') return -unary(cursor, constants) - 1;
  if (token.text === '!') return Number(unary(cursor, constants) === 0);
  throw new ParseError(`Expected a constant but found "${token.text}".`, token);
}

/** True when the tokens after "(" are a type name and ")": `(uint8_t)`, `(unsigned int)`. */
function isCast(cursor: TokenCursor): boolean {
  let i = 0;
  for (;;) {
    const t = cursor.peek(i);
    if (t.text === ')') return i > 0;
    if (t.kind !== 'ident' || !(TYPE_WORDS.has(t.text) || /_t$/.test(t.text))) return false;
    i++;
  }
}
