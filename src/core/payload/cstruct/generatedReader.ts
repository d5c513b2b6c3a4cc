import { charsText, floatValue, readInt64, readUint64, signedBits, type FieldReader } from './decode';
import type { Endianness, LaidField, LaidType } from './layout';

/**
 * A reader of a whole record generated as straight-line JavaScript: one object literal per record, fixed offsets,
 * no per-field closure calls. This is the decode path of every payload that holds the whole struct (the common
 * case), at several times the rate of the composed closures of `compileReader`, which stay the reader of short
 * payloads (the fields that fit). Both give the same values; the unit tests compare them on random bytes.
 *
 * The generated source contains only numbers, JSON-quoted field names and calls of the helpers below: nothing from
 * the header reaches it unquoted. Runs in the extension host only (the webviews' CSP allows no eval).
 */
export type WholeReader = (view: DataView, base: number) => unknown;

/** Arrays up to this length are written out element by element; longer ones loop. */
const UNROLL = 16;

/** Above this much generated source the closures are used instead (a header with thousands of fields). */
const MAX_SOURCE = 256 * 1024;

/** The helpers the generated code calls, passed in as `h`. */
interface Helpers {
  /** char[N] text from `at`. */
  text(view: DataView, at: number, length: number): string;
  float: (value: number) => number | string;
  u64: (view: DataView, at: number, little: boolean) => number | string;
  i64: (view: DataView, at: number, little: boolean) => number | string;
  /** Enum value -> name, or the number when unnamed. */
  named(names: ReadonlyMap<number, string>, value: number): string | number;
  /** Two's complement of an unsigned bit-field value `n` of range `range` (2^bits). */
  signed(n: number, range: number): number;
  /** An array of `length` elements of `step` bytes read by `element`. */
  array(view: DataView, at: number, length: number, step: number, element: WholeReader): unknown[];
}

const helpers: Helpers = {
  text: (view, at, length) => charsText(new Uint8Array(view.buffer, view.byteOffset + at, length)),
  float: floatValue,
  u64: readUint64,
  i64: readInt64,
  named: (names, value) => names.get(value) ?? value,
  signed: (n, range) => (n >= range / 2 ? n - range : n),
  array(view, at, length, step, element) {
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = element(view, at + i * step);
    return out;
  },
};

/** Builds the source of one generated function and the constants (enum maps, element readers) it refers to. */
class Generator {
  /** Enum name maps and element readers, referred to as `c[i]`. */
  readonly constants: unknown[] = [];
  size = 0;

  constructor(private readonly little: boolean) {}

  private constant(value: unknown): string {
    this.constants.push(value);
    return `c[${this.constants.length - 1}]`;
  }

  private grow(text: string): string {
    this.size += text.length;
    if (this.size > MAX_SOURCE) throw new RangeError('generated reader too large');
    return text;
  }

  /** The expression for a value of `type` at `at` (an expression of `b`). */
  value(type: LaidType, at: string): string {
    const le = this.little;
    switch (type.kind) {
      case 'record':
        return this.grow(`{${type.fields.map((f) => `${key(f.name)}:${this.field(f, at)}`).join(',')}}`);
      case 'array':
        if (type.string) return `h.text(v,${at},${type.length})`;
        if (type.length <= UNROLL) return this.grow(`[${Array.from({ length: type.length }, (_, i) => this.value(type.of, `${at}+${i * type.of.size}`)).join(',')}]`);
        return `h.array(v,${at},${type.length},${type.of.size},${this.constant(elementReader(type.of, le))})`;
      case 'enum':
        return `h.named(${this.constant(type.names)},${integerRead(type.size, type.signed, at, le)})`;
      case 'scalar':
        switch (type.name) {
          case 'bool':
            return `(v.getUint8(${at})!==0)`;
          case 'char':
            return `v.getInt8(${at})`;
          case 'float':
            return `h.float(v.getFloat32(${at},${le}))`;
          case 'double':
            return `h.float(v.getFloat64(${at},${le}))`;
          case 'uint64_t':
            return `h.u64(v,${at},${le})`;
          case 'int64_t':
            return `h.i64(v,${at},${le})`;
          default:
            return integerRead(type.size, type.name.startsWith('int'), at, le);
        }
    }
  }

  private field(f: LaidField, base: string): string {
    if (f.bits === undefined) return this.value(f.type, `${base}+${f.offset}`);
    return this.bitField(f, base);
  }

  /** A bit-field of up to 48 bits in plain numbers (wider ones are not generated: see `generateWholeReader`). */
  private bitField(f: LaidField, base: string): string {
    const position = f.bitPosition ?? 0;
    const bits = f.bits ?? 0;
    const span = Math.ceil(((position % 8) + bits) / 8);
    const first = Math.floor(position / 8);
    const shift = this.little ? position % 8 : span * 8 - (position % 8) - bits;
    const bytes = Array.from({ length: span }, (_, i) => `v.getUint8(${base}+${first + (this.little ? span - 1 - i : i)})*${2 ** (8 * (span - 1 - i))}`);
    let n = `(Math.floor((${bytes.join('+')})/${2 ** shift})%${2 ** bits})`;
    if (signedBits(f.type)) n = `h.signed(${n},${2 ** bits})`;
    if (f.type.kind === 'enum') return `h.named(${this.constant(f.type.names)},${n})`;
    return f.type.kind === 'scalar' && f.type.name === 'bool' ? `(${n}!==0)` : n;
  }
}

/** An object-literal key: a JSON string, computed for `__proto__` (a literal key of that name sets the prototype). */
function key(name: string): string {
  return name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name);
}

function integerRead(size: number, signed: boolean, at: string, little: boolean): string {
  if (size === 1) return signed ? `v.getInt8(${at})` : `v.getUint8(${at})`;
  if (size === 2) return signed ? `v.getInt16(${at},${little})` : `v.getUint16(${at},${little})`;
  if (size === 4) return signed ? `v.getInt32(${at},${little})` : `v.getUint32(${at},${little})`;
  return `Number(v.getBigInt64(${at},${little}))`;
}

/** True when some bit-field is too wide for the plain-number path (the closures handle those with BigInt). */
function hasWideBits(type: LaidType): boolean {
  if (type.kind === 'array') return hasWideBits(type.of);
  if (type.kind !== 'record') return false;
  return type.fields.some((f) => (f.bits !== undefined && (f.bits >= 53 || Math.ceil((((f.bitPosition ?? 0) % 8) + f.bits) / 8) > 6)) || hasWideBits(f.type));
}

function elementReader(type: LaidType, little: boolean): WholeReader {
  const generator = new Generator(little);
  const body = `return ${generator.value(type, 'b')};`;
  return new Function('h', 'c', `return function element(v, b) { ${body} };`)(helpers, generator.constants) as WholeReader;
}

/** The generated whole-record reader of `type`, or undefined when it cannot be generated (the closures then serve). */
export function generateWholeReader(type: LaidType, endianness: Endianness): WholeReader | undefined {
  if (hasWideBits(type)) return undefined;
  try {
    return elementReader(type, endianness === 'little');
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The reader of a struct: generated code when the payload holds it all, the closures for the fields that fit. */
export function structReader(type: LaidType, endianness: Endianness, fitting: FieldReader): FieldReader {
  const whole = generateWholeReader(type, endianness);
  if (whole === undefined) return fitting;
  const size = type.size;
  return (view, base, limit) => (base + size <= limit ? whole(view, base) : fitting(view, base, limit));
}
