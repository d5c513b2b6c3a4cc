import { emptyDeclarations, tagKey, type Declarations, type TypeRef } from './declarations';
import { compileReader, type FieldReader } from './decode';
import { structReader } from './generatedReader';
import { Layouter, LayoutError, type LaidType, type LayoutOptions } from './layout';
import { HeaderParser } from './parser';
import { tokenize, type HeaderProblem, type MacroTable } from './tokens';

/** One header as read by the host: its name (for problems) and its text. */
export interface HeaderFile {
  /** Workspace-relative path, e.g. "firmware/include/telemetry.h". */
  fileName: string;
  source: string;
}

/** A struct type laid out with one set of options, ready to decode. */
export interface CompiledStruct {
  /** The name it was looked up by: "telemetry_t", "struct telemetry". */
  name: string;
  type: Extract<LaidType, { kind: 'record' }>;
  options: LayoutOptions;
  /** Decodes the fields that fit before `limit`. */
  read: FieldReader;
}

/** Where the types come from, for the "not defined" sentence. */
const SETTING = 'mqttWorkbench.structs';

/**
 * The struct types declared in the user's headers (setting `mqttWorkbench.structs`). Build it with
 * `StructRegistry.fromFiles`; a declaration with an error is reported and skipped, the rest stay usable.
 */
export class StructRegistry {
  private readonly compiled = new Map<string, CompiledStruct | { error: string }>();

  private constructor(
    private readonly declarations: Declarations,
    private readonly defaults: LayoutOptions,
    private readonly overrides: ReadonlyMap<string, Partial<LayoutOptions>>,
  ) {}

  /** Parses the headers in order (a header sees the #defines and types of the ones before it) and checks every struct's layout. */
  static fromFiles(files: readonly HeaderFile[], defaults: LayoutOptions = { endianness: 'little' }, overrides: ReadonlyMap<string, Partial<LayoutOptions>> = new Map()): { registry: StructRegistry; errors: HeaderProblem[] } {
    const declarations = emptyDeclarations();
    const macros: MacroTable = new Map();
    const errors: HeaderProblem[] = [];
    for (const file of files) {
      const tokens = tokenize(file.source, file.fileName, macros, errors);
      new HeaderParser(tokens, declarations, errors).parse();
    }
    const registry = new StructRegistry(declarations, defaults, overrides);
    const layouter = new Layouter(declarations, defaults);
    const seen = new Set<string>();
    for (const ref of registry.allTypes()) {
      try {
        layouter.lay(ref);
      } catch (error) {
        if (!(error instanceof LayoutError)) throw error;
        const key = `${error.token.fileName}:${error.token.line}:${error.token.column}:${error.message}`;
        if (!seen.has(key)) errors.push({ fileName: error.token.fileName, line: error.token.line, column: error.token.column, message: error.message });
        seen.add(key);
      }
    }
    return { registry, errors };
  }

  /** Names of the struct and union types, sorted: typedef names, and `struct tag` for tags without one. */
  typeNames(): string[] {
    const names: string[] = [];
    const typedefTargets = new Set<unknown>();
    for (const [name, { type }] of this.declarations.typedefs) {
      const target = this.recordOf(type);
      if (target !== undefined) {
        names.push(name);
        typedefTargets.add(target);
      }
    }
    for (const [key, decl] of this.declarations.tags) if ('members' in decl && !typedefTargets.has(decl)) names.push(key);
    return names.sort();
  }

  /** The struct `name` ("telemetry_t", "struct telemetry", or the bare tag) laid out for `name`'s options. */
  lookup(name: string): { ok: true; struct: CompiledStruct } | { ok: false; error: string } {
    const clean = name.trim().replace(/\s+/g, ' ');
    const options = { ...this.defaults, ...this.overrides.get(clean) };
    const key = `${clean}|${options.endianness}|${options.packing ?? 0}`;
    let found = this.compiled.get(key);
    if (found === undefined) {
      found = this.compile(clean, options);
      this.compiled.set(key, found);
    }
    return 'error' in found ? { ok: false, error: found.error } : { ok: true, struct: found };
  }

  private compile(name: string, options: LayoutOptions): CompiledStruct | { error: string } {
    const ref = this.refOf(name);
    if (ref === undefined) return { error: `C struct type "${name}" is not defined in the headers of ${SETTING}.files.` };
    try {
      const type = new Layouter(this.declarations, options).lay(ref, name);
      if (type.kind !== 'record') return { error: `C type "${name}" is ${type.name}, not a struct or union.` };
      return { name, type, options, read: structReader(type, options.endianness, compileReader(type, options.endianness)) };
    } catch (error) {
      if (!(error instanceof LayoutError)) throw error;
      return { error: `C struct type "${name}" cannot be laid out: ${error.message} (${error.token.fileName}:${error.token.line}:${error.token.column})` };
    }
  }

  private refOf(name: string): TypeRef | undefined {
    const typedef = this.declarations.typedefs.get(name);
    if (typedef !== undefined) return typedef.type;
    const m = /^(struct|union) (\w+)$/.exec(name);
    const tag = m === null ? undefined : this.declarations.tags.get(tagKey(m[1] as 'struct' | 'union', m[2] ?? ''));
    if (m !== null && tag !== undefined) return { kind: 'tag', tag: m[1] as 'struct' | 'union', name: m[2] ?? '', at: tag.at };
    const bare = this.declarations.tags.get(tagKey('struct', name)) ?? this.declarations.tags.get(tagKey('union', name));
    return bare !== undefined && 'members' in bare ? { kind: 'record', decl: bare } : undefined;
  }

  private recordOf(type: TypeRef, depth = 0): unknown {
    if (type.kind === 'record') return type.decl;
    if (type.kind === 'tag' && type.tag !== 'enum') return this.declarations.tags.get(tagKey(type.tag, type.name));
    if (type.kind === 'typedef' && depth < 16) {
      const inner = this.declarations.typedefs.get(type.name);
      return inner === undefined ? undefined : this.recordOf(inner.type, depth + 1);
    }
    return undefined;
  }

  /** Every typedef and tagged record, to check each layout once at load. */
  private *allTypes(): Generator<TypeRef> {
    for (const { type } of this.declarations.typedefs.values()) yield type;
    for (const decl of this.declarations.tags.values()) if ('members' in decl) yield { kind: 'record', decl };
  }
}
