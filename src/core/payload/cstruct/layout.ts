import { ParseError } from './constExpr';
import { tagKey, type Declarations, type EnumDecl, type MemberDecl, type RecordDecl, type ScalarName, type TypeRef } from './declarations';
import type { SourcePosition, Token } from './tokens';

/** Byte order of multi-byte fields (and the bit order of bit-fields, as gcc allocates them). */
export type Endianness = 'little' | 'big';

/** How to lay out: byte order, and a default maximum alignment (`-fpack-struct=n`; undefined = natural). */
export interface LayoutOptions {
  endianness: Endianness;
  /** 1, 2, 4, 8 or 16: as `#pragma pack(n)` around the whole header; a `#pragma pack` in the header wins. */
  packing?: number;
}

/** A type with its size and alignment. */
export type LaidType =
  | { kind: 'scalar'; name: ScalarName; size: number; align: number }
  | { kind: 'enum'; name: string; size: number; align: number; signed: boolean; names: ReadonlyMap<number, string>; values: ReadonlyMap<string, number> }
  | { kind: 'record'; name: string; size: number; align: number; union: boolean; fields: LaidField[] }
  | { kind: 'array'; name: string; size: number; align: number; of: LaidType; length: number; string: boolean };

/** A laid-out member: its byte offset in the record, or its bit position for a bit-field. */
export interface LaidField {
  /** Member name; anonymous struct/union members are flattened into their parent, so every field has one. */
  name: string;
  type: LaidType;
  /** Byte offset from the start of the record (of the first byte a bit-field touches). */
  offset: number;
  /** Bit-field: the first bit, counted from the start of the record (see `bitNumbering`). */
  bitPosition?: number;
  /** Bit-field width. */
  bits?: number;
  at: SourcePosition;
}

const SCALARS: Record<ScalarName, number> = { uint8_t: 1, int8_t: 1, char: 1, bool: 1, uint16_t: 2, int16_t: 2, uint32_t: 4, int32_t: 4, float: 4, uint64_t: 8, int64_t: 8, double: 8 };

/** Largest MQTT payload: no struct can be bigger and still be published. */
const MAX_SIZE = 268_435_455;

/** A layout problem (unknown type, pointer, recursion) at the member that has it. */
export class LayoutError extends ParseError {}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

function fail(message: string, at: SourcePosition): never {
  throw new LayoutError(message, { ...at, kind: 'ident', text: '' } as Token);
}

/** True for the types a bit-field can have: integers, bool, char, enums. */
function isIntegral(type: LaidType): boolean {
  return type.kind === 'enum' || (type.kind === 'scalar' && type.name !== 'float' && type.name !== 'double');
}

/** Lays out types of a set of declarations with one set of options; records are laid out once each. */
export class Layouter {
  private readonly records = new Map<RecordDecl, LaidType>();
  private readonly inProgress = new Set<RecordDecl>();

  constructor(
    private readonly declarations: Declarations,
    private readonly options: LayoutOptions,
  ) {}

  /** The laid-out type of `ref`, displayed as `name` when given (typedef names). Throws LayoutError. */
  lay(ref: TypeRef, name?: string): LaidType {
    switch (ref.kind) {
      case 'scalar':
        return { kind: 'scalar', name: ref.name, size: SCALARS[ref.name], align: SCALARS[ref.name] };
      case 'typedef': {
        const found = this.declarations.typedefs.get(ref.name);
        if (found === undefined) return fail(`Unknown type "${ref.name}" (typedef it in one of the listed headers).`, ref.at);
        return this.lay(found.type, ref.name);
      }
      case 'tag': {
        const found = this.declarations.tags.get(tagKey(ref.tag, ref.name));
        if (found === undefined) return fail(`${ref.tag} ${ref.name} is declared but its body is not in the listed headers.`, ref.at);
        return 'members' in found ? this.record(found, name ?? `${ref.tag} ${ref.name}`) : this.enumeration(found, name ?? `enum ${ref.name}`);
      }
      case 'record':
        return this.record(ref.decl, name ?? (ref.decl.tag !== undefined ? `${ref.decl.kind} ${ref.decl.tag}` : `${ref.decl.kind} (anonymous)`));
      case 'enum':
        return this.enumeration(ref.decl, name ?? (ref.decl.tag !== undefined ? `enum ${ref.decl.tag}` : 'enum (anonymous)'));
      case 'array': {
        const of = this.lay(ref.of);
        if (of.size * ref.length > MAX_SIZE) return fail(`${of.name}[${ref.length}] is larger than an MQTT payload can be (256 MB).`, ref.at);
        const string = of.kind === 'scalar' && of.name === 'char';
        return { kind: 'array', name: name ?? `${of.name}[${ref.length}]`, size: of.size * ref.length, align: of.align, of, length: ref.length, string };
      }
      case 'unsupported':
        return fail(`Not supported in a payload: ${ref.what}.`, ref.at);
    }
  }

  private enumeration(decl: EnumDecl, name: string): LaidType {
    const values = decl.constants.map((c) => c.value);
    const signed = values.some((v) => v < 0);
    let size = 4;
    if (decl.base !== undefined) size = this.lay(decl.base).size;
    else if (decl.packed) size = [1, 2, 4, 8].find((bytes) => values.every((v) => (signed ? v >= -(2 ** (bytes * 8 - 1)) && v < 2 ** (bytes * 8 - 1) : v < 2 ** (bytes * 8)))) ?? 8;
    else if (values.some((v) => v > 0xffffffff || v < -0x80000000)) size = 8;
    const names = new Map<number, string>();
    for (const c of decl.constants) if (!names.has(c.value)) names.set(c.value, c.name);
    return { kind: 'enum', name, size, align: size, signed, names, values: new Map(decl.constants.map((c) => [c.name, c.value])) };
  }

  private record(decl: RecordDecl, name: string): LaidType {
    const done = this.records.get(decl);
    if (done !== undefined) return done;
    if (this.inProgress.has(decl)) return fail(`${name} contains itself.`, decl.at);
    this.inProgress.add(decl);
    try {
      const laid = this.place(decl, name);
      this.records.set(decl, laid);
      return laid;
    } finally {
      this.inProgress.delete(decl);
    }
  }

  /** gcc's placement (System V / AAPCS, not MS): see the README section "C structs" for the rules. */
  private place(decl: RecordDecl, name: string): LaidType {
    const pack = decl.pack ?? this.options.packing;
    const maxAlign = pack !== undefined && pack >= 1 ? pack : undefined;
    const union = decl.kind === 'union';
    const fields: LaidField[] = [];
    let bit = 0;
    let end = 0;
    let align = 1;
    for (const member of decl.members) {
      const type = this.lay(member.type);
      const packed = decl.packed || member.packed;
      let fieldAlign = packed ? 1 : type.align;
      if (maxAlign !== undefined) fieldAlign = Math.min(fieldAlign, maxAlign);
      if (union) bit = 0;
      if (member.bits !== undefined) {
        bit = this.placeBits(member, type, bit, packed || maxAlign !== undefined, fields);
        if (member.name !== undefined) align = Math.max(align, fieldAlign);
      } else {
        bit = roundUp(bit, fieldAlign * 8);
        const offset = bit / 8;
        if (member.name !== undefined) fields.push({ name: member.name, type, offset, at: member.at });
        else if (type.kind === 'record') for (const f of type.fields) fields.push({ ...f, offset: f.offset + offset, bitPosition: f.bitPosition === undefined ? undefined : f.bitPosition + offset * 8 });
        bit += type.size * 8;
        align = Math.max(align, fieldAlign);
      }
      end = Math.max(end, bit);
    }
    if (decl.aligned !== undefined) {
      if (!Number.isInteger(Math.log2(decl.aligned))) return fail(`aligned(${decl.aligned}) is not a power of two.`, decl.at);
      align = Math.max(align, decl.aligned);
    }
    return { kind: 'record', name, size: roundUp(Math.ceil(end / 8), align), align, union, fields };
  }

  /** Places one bit-field at `bit`; returns the bit after it. Packed layouts pack bits; natural ones never straddle a unit. */
  private placeBits(member: MemberDecl, type: LaidType, bit: number, packed: boolean, fields: LaidField[]): number {
    const bits = member.bits ?? 0;
    const label = member.name ?? '(unnamed bit-field)';
    if (!isIntegral(type)) return fail(`Bit-field ${label} has type ${type.name}; a bit-field must be an integer, bool or enum.`, member.at);
    if (!Number.isInteger(bits) || bits < 0 || bits > type.size * 8) return fail(`Bit-field ${label} is ${bits} bits wide; ${type.name} has ${type.size * 8}.`, member.at);
    if (bits === 0) {
      if (member.name !== undefined) return fail(`Bit-field ${member.name} has width 0; only an unnamed bit-field can.`, member.at);
      return roundUp(bit, type.align * 8);
    }
    const unit = type.size * 8;
    let at = bit;
    if (!packed && Math.floor(at / unit) !== Math.floor((at + bits - 1) / unit)) at = roundUp(at, type.align * 8);
    if (member.name !== undefined) fields.push({ name: member.name, type, offset: Math.floor(at / 8), bitPosition: at, bits, at: member.at });
    return at + bits;
  }
}
