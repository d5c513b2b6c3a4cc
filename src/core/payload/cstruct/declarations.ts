import type { SourcePosition } from './tokens';

/** The scalar types of a payload header (after `unsigned short int` etc. are resolved). */
export type ScalarName = 'uint8_t' | 'int8_t' | 'uint16_t' | 'int16_t' | 'uint32_t' | 'int32_t' | 'uint64_t' | 'int64_t' | 'float' | 'double' | 'bool' | 'char';

/** A type as written in a header, before layout. */
export type TypeRef =
  | { kind: 'scalar'; name: ScalarName }
  | { kind: 'typedef'; name: string; at: SourcePosition }
  | { kind: 'record'; decl: RecordDecl }
  | { kind: 'enum'; decl: EnumDecl }
  | { kind: 'tag'; tag: 'struct' | 'union' | 'enum'; name: string; at: SourcePosition }
  | { kind: 'array'; of: TypeRef; length: number; at: SourcePosition }
  | { kind: 'unsupported'; what: string; at: SourcePosition };

/** One member of a struct or union: `uint16_t mv;`, `char name[16];`, `unsigned mode : 3;`, an anonymous struct. */
export interface MemberDecl {
  /** Undefined for an anonymous struct/union member or an unnamed bit-field. */
  name?: string;
  type: TypeRef;
  /** Width of a bit-field. */
  bits?: number;
  /** `__attribute__((packed))` on the member. */
  packed: boolean;
  at: SourcePosition;
}

/** A struct or union definition (or a forward declaration until its body is seen). */
export interface RecordDecl {
  kind: 'struct' | 'union';
  tag?: string;
  members: MemberDecl[];
  /** `__attribute__((packed))`. */
  packed: boolean;
  /** `__attribute__((aligned(n)))`. */
  aligned?: number;
  /** `#pragma pack` in force at the closing brace; undefined = none (the setting's packing applies). */
  pack: number | undefined;
  at: SourcePosition;
}

/** An enum: its constants in order, and the integer type that holds it. */
export interface EnumDecl {
  tag?: string;
  constants: Array<{ name: string; value: number }>;
  /** `__attribute__((packed))`: the smallest integer that holds every value. */
  packed: boolean;
  /** C23 `enum x : uint8_t { ... }`. */
  base?: TypeRef;
  at: SourcePosition;
}

/** Everything the headers declare: typedef names, struct/union/enum tags, enum constants. */
export interface Declarations {
  typedefs: Map<string, { type: TypeRef; at: SourcePosition }>;
  tags: Map<string, RecordDecl | EnumDecl>;
  constants: Map<string, number>;
}

/** An empty set of declarations. */
export function emptyDeclarations(): Declarations {
  return { typedefs: new Map(), tags: new Map(), constants: new Map() };
}

/** The key of a tag: "struct telemetry", "enum mode". */
export function tagKey(tag: 'struct' | 'union' | 'enum', name: string): string {
  return `${tag} ${name}`;
}
