import type { Endianness, LaidField, LaidType } from './layout';

/** Reads one value at `base`; undefined when its bytes are not all before `limit` (a short payload). */
export type FieldReader = (view: DataView, base: number, limit: number) => unknown;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A 64-bit integer as a number when exact, else as its decimal text (JSON has no bigger integers). */
export function wideNumber(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** A float as a number, or "NaN" / "Infinity" / "-Infinity" (which JSON cannot hold as numbers). */
export function floatValue(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/** The text of a char[N]: bytes up to the first NUL, as UTF-8. */
export function charsText(bytes: Uint8Array): string {
  // ASCII names are the rule in firmware: build them directly (TextDecoder costs more than the whole struct).
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (byte === 0) return text;
    if (byte >= 0x80) {
      const nul = bytes.indexOf(0, i);
      return utf8.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
    }
    text += String.fromCharCode(byte);
  }
  return text;
}

/** An unsigned 64-bit integer: two 32-bit reads when it fits 2^53 (the common case), BigInt otherwise. */
export function readUint64(v: DataView, at: number, little: boolean): number | string {
  const hi = v.getUint32(little ? at + 4 : at, little);
  if (hi < 0x200000) return hi * 0x100000000 + v.getUint32(little ? at : at + 4, little);
  return wideNumber(v.getBigUint64(at, little));
}

/** A signed 64-bit integer, the same way. */
export function readInt64(v: DataView, at: number, little: boolean): number | string {
  const hi = v.getInt32(little ? at + 4 : at, little);
  if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + v.getUint32(little ? at : at + 4, little);
  return wideNumber(v.getBigInt64(at, little));
}

/** A reader of a scalar or enum of `size` bytes (not a bit-field). */
function scalarReader(type: LaidType, little: boolean): FieldReader {
  const size = type.size;
  const read = ((): ((v: DataView, at: number) => unknown) => {
    if (type.kind === 'enum') {
      const names = type.names;
      const raw = size === 1 ? (type.signed ? (v: DataView, at: number) => v.getInt8(at) : (v: DataView, at: number) => v.getUint8(at)) : size === 2 ? (type.signed ? (v: DataView, at: number) => v.getInt16(at, little) : (v: DataView, at: number) => v.getUint16(at, little)) : size === 4 ? (type.signed ? (v: DataView, at: number) => v.getInt32(at, little) : (v: DataView, at: number) => v.getUint32(at, little)) : (v: DataView, at: number) => Number(v.getBigInt64(at, little));
      return (v, at) => {
        const n = raw(v, at);
        return names.get(n) ?? n;
      };
    }
    switch (type.kind === 'scalar' ? type.name : 'uint8_t') {
      case 'uint8_t':
        return (v, at) => v.getUint8(at);
      case 'int8_t':
      case 'char':
        return (v, at) => v.getInt8(at);
      case 'bool':
        return (v, at) => v.getUint8(at) !== 0;
      case 'uint16_t':
        return (v, at) => v.getUint16(at, little);
      case 'int16_t':
        return (v, at) => v.getInt16(at, little);
      case 'uint32_t':
        return (v, at) => v.getUint32(at, little);
      case 'int32_t':
        return (v, at) => v.getInt32(at, little);
      case 'uint64_t':
        return (v, at) => readUint64(v, at, little);
      case 'int64_t':
        return (v, at) => readInt64(v, at, little);
      case 'float':
        return (v, at) => floatValue(v.getFloat32(at, little));
      case 'double':
        return (v, at) => floatValue(v.getFloat64(at, little));
    }
  })();
  return (view, base, limit) => (base + size <= limit ? read(view, base) : undefined);
}

/** The raw bits of a bit-field at `bitPosition` (from `base`), as gcc allocates them for the byte order. */
export function readBits(view: DataView, base: number, bitPosition: number, bits: number, little: boolean): bigint {
  const first = base + Math.floor(bitPosition / 8);
  const span = Math.ceil(((bitPosition % 8) + bits) / 8);
  let word = 0n;
  for (let i = 0; i < span; i++) {
    const byte = BigInt(view.getUint8(first + (little ? span - 1 - i : i)));
    word = (word << 8n) | byte;
  }
  const shift = little ? BigInt(bitPosition % 8) : BigInt(span * 8 - (bitPosition % 8) - bits);
  return (word >> shift) & ((1n << BigInt(bits)) - 1n);
}

/** The last byte (exclusive) a bit-field touches, relative to its record. */
export function bitsEnd(bitPosition: number, bits: number): number {
  return Math.ceil((bitPosition + bits) / 8);
}

/** True when a bit-field's type is signed (so its top bit is a sign). */
export function signedBits(type: LaidType): boolean {
  if (type.kind === 'enum') return type.signed;
  return type.kind === 'scalar' && (type.name.startsWith('int') || type.name === 'char');
}

function bitFieldReader(field: LaidField, little: boolean): FieldReader {
  const position = field.bitPosition ?? 0;
  const bits = field.bits ?? 0;
  const end = bitsEnd(position, bits);
  const signed = signedBits(field.type);
  const type = field.type;
  const span = Math.ceil(((position % 8) + bits) / 8);
  if (span <= 6 && bits < 53) {
    // Fast path in plain numbers (up to 48 bits), for the decode rate.
    const first = Math.floor(position / 8);
    const shift = little ? position % 8 : span * 8 - (position % 8) - bits;
    const mask = 2 ** bits;
    return (view, base, limit) => {
      if (base + end > limit) return undefined;
      let word = 0;
      for (let i = 0; i < span; i++) word = word * 256 + view.getUint8(base + first + (little ? span - 1 - i : i));
      let n = Math.floor(word / 2 ** shift) % mask;
      if (signed && n >= mask / 2) n -= mask;
      if (type.kind === 'enum') return type.names.get(n) ?? n;
      return type.kind === 'scalar' && type.name === 'bool' ? n !== 0 : n;
    };
  }
  return (view, base, limit) => {
    if (base + end > limit) return undefined;
    let raw = readBits(view, base, position, bits, little);
    if (signed && bits > 0 && (raw >> BigInt(bits - 1)) & 1n) raw -= 1n << BigInt(bits);
    const n = Number(raw);
    if (type.kind === 'enum') return type.names.get(n) ?? n;
    if (type.kind === 'scalar' && type.name === 'bool') return n !== 0;
    return bits > 53 ? wideNumber(raw) : n;
  };
}

/** Compiles a reader for `type`: records give objects of the fields that fit, arrays the elements that fit. */
export function compileReader(type: LaidType, endianness: Endianness): FieldReader {
  const little = endianness === 'little';
  if (type.kind === 'scalar' || type.kind === 'enum') return scalarReader(type, little);
  if (type.kind === 'array') {
    const { length, of } = type;
    if (type.string) return (view, base, limit) => (base >= limit && length > 0 ? undefined : charsText(new Uint8Array(view.buffer, view.byteOffset + base, Math.max(0, Math.min(length, limit - base)))));
    const element = compileReader(of, endianness);
    const step = of.size;
    return (view, base, limit) => {
      if (base >= limit && length > 0) return undefined;
      const out: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const value = element(view, base + i * step, limit);
        if (value === undefined) break;
        out.push(value);
      }
      return out;
    };
  }
  const readers = type.fields.map((field) => ({ name: field.name, offset: field.bits !== undefined ? 0 : field.offset, read: field.bits !== undefined ? bitFieldReader(field, little) : compileReader(field.type, endianness) }));
  return (view, base, limit) => {
    if (base >= limit && type.size > 0) return undefined;
    const out: Record<string, unknown> = {};
    for (const r of readers) {
      const value = r.read(view, base + r.offset, limit);
      if (value !== undefined) out[r.name] = value;
    }
    return out;
  };
}
