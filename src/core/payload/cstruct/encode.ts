import { bitsEnd, signedBits } from './decode';
import type { Endianness, LaidField, LaidType } from './layout';

/** A value that cannot be encoded, with the field path: `temp_c: 300 does not fit int8_t`. */
export class EncodeProblem extends Error {}

const RANGES: Record<string, [min: bigint, max: bigint]> = {
  uint8_t: [0n, 255n],
  int8_t: [-128n, 127n],
  char: [-128n, 255n],
  uint16_t: [0n, 65535n],
  int16_t: [-32768n, 32767n],
  uint32_t: [0n, 4294967295n],
  int32_t: [-2147483648n, 2147483647n],
  uint64_t: [0n, 18446744073709551615n],
  int64_t: [-9223372036854775808n, 9223372036854775807n],
};

const utf8 = new TextEncoder();

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

/** An integer from a JSON number or a decimal string (64-bit values), or a problem sentence. */
function integerOf(value: unknown, path: string, typeName: string): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?[0-9]+$/.test(value.trim())) return BigInt(value.trim());
  if (typeof value === 'boolean') return value ? 1n : 0n;
  throw new EncodeProblem(`${path}: ${show(value)} is not an integer (${typeName}).`);
}

/** The integer to store for an enum: a constant's name or a number. */
function enumInteger(type: Extract<LaidType, { kind: 'enum' }>, value: unknown, path: string): bigint {
  if (typeof value === 'string' && !/^-?[0-9]+$/.test(value.trim())) {
    const n = type.values.get(value.trim());
    if (n === undefined) throw new EncodeProblem(`${path}: "${value}" is not a constant of ${type.name} (${[...type.values.keys()].join(', ')}).`);
    return BigInt(n);
  }
  return integerOf(value, path, type.name);
}

/** The integer range of a type, or of a bit-field of `bits` bits of it. */
function rangeOf(type: LaidType, bits: number | undefined): [bigint, bigint] {
  const signed = signedBits(type) || (type.kind === 'enum' && type.signed);
  const width = BigInt(bits ?? type.size * 8);
  if (type.kind === 'scalar' && type.name === 'bool' && bits === undefined) return [0n, 1n];
  if (bits === undefined && type.kind === 'scalar') return RANGES[type.name] ?? [0n, 0n];
  return signed ? [-(1n << (width - 1n)), (1n << (width - 1n)) - 1n] : [0n, (1n << width) - 1n];
}

/** The checked integer for an integral field. */
function checkedInteger(type: LaidType, value: unknown, path: string, bits?: number): bigint {
  const n = type.kind === 'enum' ? enumInteger(type, value, path) : integerOf(value, path, type.name);
  const [min, max] = rangeOf(type, bits);
  if (n < min || n > max) throw new EncodeProblem(`${path}: ${show(value)} does not fit ${bits !== undefined ? `a ${bits}-bit bit-field of ${type.name} (${min}..${max})` : type.name}.`);
  return n;
}

function writeScalar(view: DataView, at: number, type: LaidType, value: unknown, path: string, little: boolean): void {
  if (type.kind === 'scalar' && (type.name === 'float' || type.name === 'double')) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(value) ? Number(value) : undefined;
    if (n === undefined) throw new EncodeProblem(`${path}: ${show(value)} is not a number (${type.name}).`);
    if (type.name === 'float') view.setFloat32(at, n, little);
    else view.setFloat64(at, n, little);
    return;
  }
  const n = checkedInteger(type, value, path);
  if (type.size === 1) view.setUint8(at, Number(n & 0xffn));
  else if (type.size === 2) view.setUint16(at, Number(n & 0xffffn), little);
  else if (type.size === 4) view.setUint32(at, Number(n & 0xffffffffn), little);
  else view.setBigUint64(at, BigInt.asUintN(64, n), little);
}

function writeBits(view: DataView, base: number, field: LaidField, value: unknown, path: string, little: boolean): void {
  const position = field.bitPosition ?? 0;
  const bits = field.bits ?? 0;
  const n = BigInt.asUintN(bits, checkedInteger(field.type, value, path, bits));
  const first = base + Math.floor(position / 8);
  const span = bitsEnd(position, bits) - Math.floor(position / 8);
  let word = 0n;
  for (let i = 0; i < span; i++) word = (word << 8n) | BigInt(view.getUint8(first + (little ? span - 1 - i : i)));
  const shift = little ? BigInt(position % 8) : BigInt(span * 8 - (position % 8) - bits);
  const mask = ((1n << BigInt(bits)) - 1n) << shift;
  word = (word & ~mask) | (n << shift);
  for (let i = 0; i < span; i++) view.setUint8(first + (little ? i : span - 1 - i), Number((word >> BigInt(i * 8)) & 0xffn));
}

/** Writes `value` (JSON) as `type` at `at`; a missing field or element stays zero. Throws EncodeProblem. */
export function writeValue(view: DataView, at: number, type: LaidType, value: unknown, path: string, endianness: Endianness): void {
  const little = endianness === 'little';
  if (type.kind === 'scalar' || type.kind === 'enum') {
    writeScalar(view, at, type, value, path, little);
  } else if (type.kind === 'array') {
    if (type.string && typeof value === 'string') {
      const bytes = utf8.encode(value);
      if (bytes.length > type.length) throw new EncodeProblem(`${path}: ${show(value)} is ${bytes.length} bytes, longer than char[${type.length}].`);
      new Uint8Array(view.buffer, view.byteOffset + at, type.length).set(bytes);
      return;
    }
    if (!Array.isArray(value)) throw new EncodeProblem(`${path}: expected ${type.string ? 'a string or ' : ''}a list of ${type.length} ${type.of.name}, not ${show(value)}.`);
    if (value.length > type.length) throw new EncodeProblem(`${path}: ${value.length} elements do not fit ${type.name}.`);
    value.forEach((element: unknown, i) => writeValue(view, at + i * type.of.size, type.of, element, `${path}[${i}]`, endianness));
  } else {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EncodeProblem(`${path === '' ? type.name : path}: expected an object with the fields of ${type.name}, not ${show(value)}.`);
    const known = new Set(type.fields.map((f) => f.name));
    const unknown = Object.keys(value).find((key) => !known.has(key));
    if (unknown !== undefined) throw new EncodeProblem(`${path === '' ? '' : `${path}: `}${type.name} has no field "${unknown}" (fields: ${[...known].join(', ')}).`);
    const record = value as Record<string, unknown>;
    for (const field of type.fields) {
      if (!(field.name in record)) continue;
      const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
      if (field.bits !== undefined) writeBits(view, at, field, record[field.name], fieldPath, little);
      else writeValue(view, at + field.offset, field.type, record[field.name], fieldPath, endianness);
    }
  }
}
