/**
 * The C tokenizer of the struct headers, with the part of the preprocessor a payload header needs: comments
 * are dropped, object-like `#define`s are expanded where used, `#pragma pack` becomes a token the parser
 * follows, `#if 0` / `#ifdef` / `#ifndef` / `#else` / `#endif` keep or drop lines, every other directive
 * (`#include`, function-like macros, `#error`) is skipped. Positions are 1-based line and column.
 */

/** Where a token or a problem is: file, 1-based line and column. */
export interface SourcePosition {
  fileName: string;
  line: number;
  column: number;
}

/** A problem in a header, with its position (shown in the Problems view). */
export interface HeaderProblem extends SourcePosition {
  /** E.g. "Unknown type "u16" (declare it, or include the header that does)". */
  message: string;
}

/** `#pragma pack` as the parser sees it: push (with or without a value), pop, set, or reset to the default. */
export type PackDirective = { op: 'push'; value?: number } | { op: 'pop' } | { op: 'set'; value: number | undefined };

/** One token. `pack` tokens carry a `#pragma pack`; `end` closes the stream. */
export interface Token extends SourcePosition {
  kind: 'ident' | 'number' | 'punct' | 'string' | 'char' | 'pack' | 'end';
  text: string;
  pack?: PackDirective;
}

/** Object-like macros shared by all headers of a registry, in the order they are read. */
export type MacroTable = Map<string, Token[]>;

const PUNCTUATORS = ['<<=', '>>=', '...', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '->', '++', '--', '##'];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** Splits one line (comments already removed) into tokens. */
function lexLine(text: string, fileName: string, line: number, out: Token[], problems: HeaderProblem[]): void {
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const column = i + 1;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(text[j] ?? '')) j++;
      out.push({ kind: 'ident', text: text.slice(i, j), fileName, line, column });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F']+|0[bB][01']+|[0-9][0-9']*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)[uUlLfF]*/.exec(text.slice(i));
      const literal = m?.[0] ?? c;
      out.push({ kind: 'number', text: literal, fileName, line, column });
      i += literal.length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) problems.push({ fileName, line, column, message: `Unterminated ${c === '"' ? 'string' : 'character'} literal.` });
      out.push({ kind: c === '"' ? 'string' : 'char', text: text.slice(i, j + 1), fileName, line, column });
      i = j + 1;
    } else {
      const p = PUNCTUATORS.find((q) => text.startsWith(q, i)) ?? c;
      out.push({ kind: 'punct', text: p, fileName, line, column });
      i += p.length;
    }
  }
}

/** Removes comments, keeping line breaks (so positions stay right) and joining `\`-continued lines. */
function stripComments(source: string): string[] {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const comment = source.slice(i, end < 0 ? source.length : end + 2);
      out += comment.replace(/[^\n]/g, ' ');
      i += comment.length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out.split('\n');
}

/** Parses the operand of `#pragma pack(...)`; undefined when the pragma is not a pack pragma we understand. */
function packDirective(args: Token[]): PackDirective | undefined {
  const words = args.filter((t) => t.text !== '(' && t.text !== ')' && t.text !== ',').map((t) => t.text);
  const value = words.find((w) => /^[0-9]+$/.test(w));
  // gcc accepts 1, 2, 4, 8 and 16 (and ignores the pragma otherwise, with a warning).
  const n = value === undefined || ![1, 2, 4, 8, 16].includes(Number(value)) ? undefined : Number(value);
  if (words[0] === 'push') return { op: 'push', value: n };
  if (words[0] === 'pop') return { op: 'pop' };
  return { op: 'set', value: n };
}

/** Conditional-compilation state of one `#if` level: is this branch kept, and whether some branch was kept already. */
interface Conditional {
  active: boolean;
  taken: boolean;
  parentActive: boolean;
}

/** The value of a simple `#if` condition: 0 / 1 / a number, `defined(X)`, `!defined(X)`; anything else counts as true. */
function conditionHolds(args: Token[], macros: MacroTable): boolean {
  const text = args.map((t) => t.text).join('');
  const defined = /^(!?)defined\(?([A-Za-z_]\w*)\)?$/.exec(text);
  if (defined) return (defined[1] === '!') !== macros.has(defined[2] ?? '');
  if (/^[0-9]+[uUlL]*$/.test(text)) return Number.parseInt(text, 10) !== 0;
  const macro = macros.get(text);
  if (macro !== undefined && macro.length === 1 && /^[0-9]+$/.test(macro[0]?.text ?? '')) return Number(macro[0]?.text) !== 0;
  return true;
}

/** Handles one directive line; returns tokens to add to the stream (a pack token), if any. */
function directive(tokens: Token[], macros: MacroTable, conditionals: Conditional[]): Token | undefined {
  const name = tokens[1]?.text ?? '';
  const args = tokens.slice(2);
  const top = conditionals[conditionals.length - 1];
  const active = top === undefined || top.active;
  if (name === 'if' || name === 'ifdef' || name === 'ifndef') {
    const holds = name === 'if' ? conditionHolds(args, macros) : (name === 'ifdef') === macros.has(args[0]?.text ?? '');
    conditionals.push({ active: active && holds, taken: holds, parentActive: active });
  } else if (name === 'elif' && top !== undefined) {
    const holds = !top.taken && conditionHolds(args, macros);
    top.active = top.parentActive && holds;
    top.taken ||= holds;
  } else if (name === 'else' && top !== undefined) {
    top.active = top.parentActive && !top.taken;
    top.taken = true;
  } else if (name === 'endif') {
    conditionals.pop();
  } else if (!active) {
    return undefined;
  } else if (name === 'define' && args[0]?.kind === 'ident') {
    const functionLike = args[1]?.text === '(' && args[1].column === args[0].column + args[0].text.length;
    if (!functionLike) macros.set(args[0].text, args.slice(1));
  } else if (name === 'undef' && args[0] !== undefined) {
    macros.delete(args[0].text);
  } else if (name === 'pragma' && args[0]?.text === 'pack') {
    const pack = packDirective(args.slice(1));
    if (pack !== undefined) return { ...(tokens[0] as Token), kind: 'pack', text: '#pragma pack', pack };
  }
  return undefined;
}

/** Appends `token`, expanding it when it names an object-like macro (recursively, each macro once per expansion). */
function emit(token: Token, macros: MacroTable, out: Token[], expanding: ReadonlySet<string> = new Set()): void {
  const body = token.kind === 'ident' && !expanding.has(token.text) ? macros.get(token.text) : undefined;
  if (body === undefined) {
    out.push(token);
    return;
  }
  const inner = new Set(expanding).add(token.text);
  // Expanded tokens take the position of the use, so a problem points at the line the user wrote.
  for (const t of body) emit({ ...t, fileName: token.fileName, line: token.line, column: token.column }, macros, out, inner);
}

/** Tokenizes one header; macros it defines are added to `macros` for the headers read after it. */
export function tokenize(source: string, fileName: string, macros: MacroTable, problems: HeaderProblem[]): Token[] {
  const out: Token[] = [];
  const conditionals: Conditional[] = [];
  const lines = stripComments(source);
  let pending: { text: string; line: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const joined = pending === undefined ? { text: raw, line: index + 1 } : { text: `${pending.text} ${raw}`, line: pending.line };
    if (joined.text.endsWith('\\')) {
      pending = { text: joined.text.slice(0, -1), line: joined.line };
      continue;
    }
    pending = undefined;
    const lineTokens: Token[] = [];
    lexLine(joined.text, fileName, joined.line, lineTokens, problems);
    if (lineTokens[0]?.text === '#') {
      const pack = directive(lineTokens, macros, conditionals);
      if (pack !== undefined) out.push(pack);
      continue;
    }
    if (conditionals.length > 0 && conditionals[conditionals.length - 1]?.active === false) continue;
    for (const token of lineTokens) emit(token, macros, out);
  }
  out.push({ kind: 'end', text: 'end of file', fileName, line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 });
  return out;
}
