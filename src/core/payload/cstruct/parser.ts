import { evaluate, ParseError, type TokenCursor } from './constExpr';
import { tagKey, type Declarations, type EnumDecl, type MemberDecl, type RecordDecl, type ScalarName, type TypeRef } from './declarations';
import type { HeaderProblem, PackDirective, Token } from './tokens';

const FIXED_WIDTH = new Set(['uint8_t', 'int8_t', 'uint16_t', 'int16_t', 'uint32_t', 'int32_t', 'uint64_t', 'int64_t']);
const SPECIFIER_WORDS = new Set(['unsigned', 'signed', 'char', 'short', 'int', 'long', 'float', 'double', 'bool', '_Bool', 'void']);
const QUALIFIERS = new Set(['const', 'volatile', 'static', 'extern', 'register', 'inline', '__inline', '__inline__', 'restrict', '__restrict', '_Noreturn', '__extension__']);
const PACKED_WORDS = new Set(['__packed', '__packed__']);

/** `__attribute__((packed, aligned(4)))` as read. */
interface Attributes {
  packed: boolean;
  aligned?: number;
}

/** The type named by a list of specifier words (`unsigned short int` -> uint16_t); an explanation when not a payload type. */
function scalarOf(words: string[]): ScalarName | string {
  const has = (w: string) => words.includes(w);
  const longs = words.filter((w) => w === 'long').length;
  const unsigned = has('unsigned');
  if (has('void')) return 'void has no size; it cannot be a field of a payload';
  if (has('float')) return 'float';
  if (has('double')) return longs > 0 ? 'long double has no common size across targets; use double' : 'double';
  if (has('bool') || has('_Bool')) return 'bool';
  if (has('char')) return unsigned ? 'uint8_t' : has('signed') ? 'int8_t' : 'char';
  if (has('short')) return unsigned ? 'uint16_t' : 'int16_t';
  if (longs >= 2) return unsigned ? 'uint64_t' : 'int64_t';
  // long is 32 bits on the embedded targets this assumes (ILP32: Cortex-M, ESP32, RISC-V 32).
  return unsigned ? 'uint32_t' : 'int32_t';
}

/** Parses the tokens of one header into `declarations`; problems are collected, and parsing goes on after each. */
export class HeaderParser implements TokenCursor {
  private index = 0;
  private pack: number | undefined;
  private readonly packStack: Array<number | undefined> = [];

  constructor(
    private readonly tokens: Token[],
    private readonly declarations: Declarations,
    private readonly problems: HeaderProblem[],
  ) {}

  /** Parses the whole header. */
  parse(): void {
    while (this.peek().kind !== 'end') {
      const start = this.index;
      try {
        this.topLevel();
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        this.problems.push({ fileName: error.token.fileName, line: error.token.line, column: error.token.column, message: error.message });
        this.recover(start);
      }
    }
  }

  /** The token `ahead` places on (pack pragmas are applied, not seen). */
  peek(ahead = 0): Token {
    this.applyPacks();
    let i = this.index;
    let seen = 0;
    for (;;) {
      const token = this.tokens[i] ?? (this.tokens[this.tokens.length - 1] as Token);
      if (token.kind === 'end') return token;
      if (token.kind !== 'pack') {
        if (seen === ahead) return token;
        seen++;
      }
      i++;
    }
  }

  /** Consumes and returns the next token. */
  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private applyPacks(): void {
    for (let t = this.tokens[this.index]; t?.kind === 'pack'; t = this.tokens[++this.index]) this.applyPack(t.pack as PackDirective);
  }

  private applyPack(pack: PackDirective): void {
    if (pack.op === 'push') {
      this.packStack.push(this.pack);
      if (pack.value !== undefined) this.pack = pack.value;
    } else if (pack.op === 'pop') {
      this.pack = this.packStack.pop();
    } else {
      this.pack = pack.value;
    }
  }

  private accept(text: string): boolean {
    if (this.peek().text !== text || this.peek().kind === 'string') return false;
    this.next();
    return true;
  }

  private expect(text: string): Token {
    const token = this.next();
    if (token.text !== text) throw new ParseError(`Expected "${text}" but found "${token.text}".`, token);
    return token;
  }

  /** Skips past the declaration that failed: to the next ";" at brace depth 0, or past a closing brace. */
  private recover(start: number): void {
    if (this.index === start) this.next();
    let depth = 0;
    while (this.peek().kind !== 'end') {
      const t = this.next().text;
      if (t === '{') depth++;
      else if (t === '}') depth = Math.max(0, depth - 1);
      else if (t === ';' && depth === 0) return;
    }
  }

  private topLevel(): void {
    const token = this.peek();
    if (token.text === ';' || token.text === '}') {
      this.next();
      return;
    }
    if (token.text === 'extern' && this.peek(1).kind === 'string') {
      this.next();
      this.next();
      this.accept('{');
      return;
    }
    const typedef = token.text === 'typedef';
    if (typedef) this.next();
    const first = this.peek().text;
    if (!typedef && first !== 'struct' && first !== 'union' && first !== 'enum') {
      this.skipDeclaration();
      return;
    }
    const base = this.specifiers();
    if (this.accept(';')) return;
    if (!typedef) {
      this.skipDeclaration();
      return;
    }
    do {
      const { name, type, at } = this.declarator(base.type);
      if (name === undefined) throw new ParseError('A typedef needs a name.', at);
      this.declarations.typedefs.set(name.text, { type, at: name });
    } while (this.accept(','));
    this.attributes();
    this.expect(';');
  }

  /** Skips a declaration this reader has no use for (a function prototype or body, a variable). */
  private skipDeclaration(): void {
    let depth = 0;
    let previous = '';
    while (this.peek().kind !== 'end') {
      const t = this.next().text;
      if (t === '{') {
        if (depth === 0 && previous === ')') {
          this.skipBalanced(1);
          return;
        }
        depth++;
      } else if (t === '}') depth--;
      else if (t === ';' && depth <= 0) return;
      previous = t;
    }
  }

  private skipBalanced(open: number): void {
    let depth = open;
    while (depth > 0 && this.peek().kind !== 'end') {
      const t = this.next().text;
      if (t === '{') depth++;
      else if (t === '}') depth--;
    }
  }

  /** Reads `__attribute__((...))` and `__packed` words; returns what matters for layout. */
  private attributes(into: Attributes = { packed: false }): Attributes {
    for (;;) {
      const t = this.peek();
      if (PACKED_WORDS.has(t.text)) {
        this.next();
        into.packed = true;
      } else if (t.text === '__attribute__' || t.text === '__attribute') {
        this.next();
        this.expect('(');
        this.expect('(');
        let depth = 2;
        while (depth > 0 && this.peek().kind !== 'end') {
          const a = this.next();
          if (a.text === '(') depth++;
          else if (a.text === ')') depth--;
          else if (a.text === 'packed' || a.text === '__packed__') into.packed = true;
          else if ((a.text === 'aligned' || a.text === '__aligned__') && this.peek().text === '(') {
            this.next();
            into.aligned = evaluate(this, this.declarations.constants);
            this.expect(')');
          }
        }
      } else if (t.text === '_Alignas' || t.text === 'alignas') {
        this.next();
        this.expect('(');
        into.aligned = evaluate(this, this.declarations.constants);
        this.expect(')');
      } else {
        return into;
      }
    }
  }

  /** Reads declaration specifiers: qualifiers, attributes, and one type (scalar words, a typedef name, struct/union/enum). */
  private specifiers(): { type: TypeRef; attributes: Attributes; at: Token } {
    const at = this.peek();
    const attributes: Attributes = { packed: false };
    const words: string[] = [];
    let type: TypeRef | undefined;
    for (;;) {
      this.attributes(attributes);
      const t = this.peek();
      if (t.kind !== 'ident') break;
      if (QUALIFIERS.has(t.text)) this.next();
      else if (SPECIFIER_WORDS.has(t.text) && type === undefined) words.push(this.next().text);
      else if ((t.text === 'struct' || t.text === 'union' || t.text === 'enum') && type === undefined && words.length === 0) type = this.tagged(attributes);
      else if (type === undefined && words.length === 0) {
        this.next();
        type = FIXED_WIDTH.has(t.text) ? { kind: 'scalar', name: t.text as ScalarName } : { kind: 'typedef', name: t.text, at: t };
      } else break;
    }
    if (type === undefined && words.length === 0) throw new ParseError(`Expected a type but found "${this.peek().text}".`, this.peek());
    if (type === undefined) {
      const scalar = scalarOf(words);
      type = scalar.includes(' ') ? { kind: 'unsupported', what: scalar, at } : { kind: 'scalar', name: scalar as ScalarName };
    }
    return { type, attributes, at };
  }

  /** `struct [tag] [{ members }]`, `union ...`, `enum [tag] [: type] [{ constants }]`. */
  private tagged(outer: Attributes): TypeRef {
    const keyword = this.next();
    const tag = keyword.text as 'struct' | 'union' | 'enum';
    const attributes = this.attributes({ packed: false });
    const name = this.peek().kind === 'ident' && this.peek().text !== '{' ? this.next() : undefined;
    if (tag === 'enum') return this.enumBody(keyword, name, attributes, outer);
    if (this.peek().text !== '{') {
      if (name === undefined) throw new ParseError(`Expected a name or "{" after "${tag}".`, this.peek());
      return { kind: 'tag', tag, name: name.text, at: name };
    }
    this.next();
    const target: RecordDecl = { kind: tag, tag: name?.text, members: [], packed: false, pack: undefined, at: name ?? keyword };
    // Tag references are resolved by name at layout, so a later definition (another #if branch) simply wins.
    if (name !== undefined) this.declarations.tags.set(tagKey(tag, name.text), target);
    while (!this.accept('}')) {
      if (this.peek().kind === 'end') throw new ParseError(`Missing "}" at the end of ${tag} ${name?.text ?? '(anonymous)'}.`, this.peek());
      if (this.accept(';')) continue;
      this.members(target.members);
    }
    target.pack = this.pack;
    const after = this.attributes({ packed: false });
    target.packed = attributes.packed || after.packed || outer.packed;
    target.aligned = after.aligned ?? attributes.aligned;
    return { kind: 'record', decl: target };
  }

  private enumBody(keyword: Token, name: Token | undefined, attributes: Attributes, outer: Attributes): TypeRef {
    let base: TypeRef | undefined;
    if (this.accept(':')) base = this.specifiers().type;
    if (this.peek().text !== '{') {
      if (name === undefined) throw new ParseError('Expected a name or "{" after "enum".', this.peek());
      return { kind: 'tag', tag: 'enum', name: name.text, at: name };
    }
    this.next();
    const decl: EnumDecl = { tag: name?.text, constants: [], packed: false, base, at: name ?? keyword };
    let value = 0;
    while (!this.accept('}')) {
      const constant = this.next();
      if (constant.kind !== 'ident') throw new ParseError(`Expected an enum constant name but found "${constant.text}".`, constant);
      this.attributes();
      if (this.accept('=')) value = evaluate(this, this.declarations.constants);
      decl.constants.push({ name: constant.text, value });
      this.declarations.constants.set(constant.text, value);
      value++;
      if (!this.accept(',')) {
        this.expect('}');
        break;
      }
    }
    decl.packed = attributes.packed || this.attributes().packed || outer.packed;
    if (name !== undefined) this.declarations.tags.set(tagKey('enum', name.text), decl);
    return { kind: 'enum', decl };
  }

  /** One member declaration inside braces: specifiers, then declarators with arrays and bit-field widths. */
  private members(into: MemberDecl[]): void {
    const { type, attributes, at } = this.specifiers();
    if (this.accept(';')) {
      if (type.kind === 'record' && type.decl.tag === undefined) into.push({ type, packed: attributes.packed, at });
      return;
    }
    do {
      const { name, type: full, at: where } = this.declarator(type);
      let bits: number | undefined;
      if (this.accept(':')) bits = evaluate(this, this.declarations.constants);
      const own = this.attributes({ packed: attributes.packed });
      into.push({ name: name?.text, type: full, bits, packed: own.packed, at: name ?? where });
    } while (this.accept(','));
    this.expect(';');
  }

  /** `name`, `*name`, `name[N][M]`; pointers and function pointers become unsupported types with a reason. */
  private declarator(base: TypeRef): { name: Token | undefined; type: TypeRef; at: Token } {
    const at = this.peek();
    let pointer = false;
    while (this.accept('*')) {
      pointer = true;
      while (QUALIFIERS.has(this.peek().text)) this.next();
    }
    if (this.peek().text === '(') throw new ParseError('Function pointers cannot be part of a payload.', this.peek());
    this.attributes();
    const name = this.peek().kind === 'ident' ? this.next() : undefined;
    const dims: number[] = [];
    while (this.accept('[')) {
      const sizeToken = this.peek();
      const length = evaluate(this, this.declarations.constants);
      if (!Number.isInteger(length) || length < 0) throw new ParseError(`Array size ${length} is not a non-negative integer.`, sizeToken);
      dims.push(length);
      this.expect(']');
    }
    let type: TypeRef = pointer ? { kind: 'unsupported', what: `${name?.text ?? 'this field'} is a pointer, whose value means nothing off the device; send the data itself`, at } : base;
    for (let i = dims.length - 1; i >= 0; i--) type = { kind: 'array', of: type, length: dims[i] ?? 0, at: name ?? at };
    return { name, type, at };
  }
}
