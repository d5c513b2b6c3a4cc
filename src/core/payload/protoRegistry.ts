import { common, Enum, Namespace, parse, Root, Type } from 'protobufjs';
import type { ReflectionObject } from 'protobufjs';
import { messageOf } from './textPosition';

/** One .proto file as read by the host: its name (for messages) and its text. */
export interface ProtoFile {
  /** File name or workspace-relative path, e.g. "protos/sensors.proto". */
  fileName: string;
  /** Contents of the file. */
  source: string;
}

/** A problem in one .proto file: a sentence, and the line when protobufjs gave one. */
export interface ProtoFileError {
  /** File the problem is in. */
  fileName: string;
  /** 1-based line of a syntax error. */
  line?: number;
  /** E.g. "Syntax error in sensors.proto at line 7: illegal token 'x'". */
  message: string;
}

/** Where the message types come from, for the "not defined" sentence. */
const SETTING = 'mqttWorkbench.protobuf.files';

/**
 * Message types parsed from the user's .proto files. Build it with `ProtoRegistry.fromFiles`; a file with an
 * error is skipped (and reported) while the others stay usable.
 */
export class ProtoRegistry {
  private constructor(private readonly root: Root) {}

  /** Parses the files into one registry; files are independent of order (imports are resolved by name). */
  static fromFiles(files: readonly ProtoFile[]): { registry: ProtoRegistry; errors: ProtoFileError[] } {
    const root = new Root();
    const errors: ProtoFileError[] = [];
    const wellKnown = new Set<string>();
    for (const file of files) {
      try {
        // Parse alone first, so a file with a syntax error adds nothing half-parsed to the shared root.
        const alone = parse(file.source, new Root(), { keepCase: true });
        for (const name of [...(alone.imports ?? []), ...(alone.weakImports ?? [])]) {
          if (name.startsWith('google/protobuf/')) wellKnown.add(name);
        }
        parse(file.source, root, { keepCase: true });
      } catch (error) {
        errors.push(syntaxError(file.fileName, error));
      }
    }
    for (const name of wellKnown) {
      const json = common.get(name);
      try {
        if (json?.nested !== undefined) root.addJSON(json.nested);
      } catch {
        // Already defined by a user file: theirs wins.
      }
    }
    resolveEach(root, errors, files);
    return { registry: new ProtoRegistry(root), errors };
  }

  /** The message type named `name` ("pkg.Msg" or ".pkg.Msg"), or the sentence saying it is not defined. */
  lookupType(name: string): { ok: true; type: Type } | { ok: false; error: string } {
    const clean = name.trim().replace(/^\./, '');
    let found: ReflectionObject | null = null;
    try {
      found = clean === '' ? null : this.root.lookup(clean);
    } catch {
      found = null;
    }
    if (found instanceof Type) return { ok: true, type: found };
    const what = found instanceof Enum ? 'is an enum, not a message type' : `is not defined in ${SETTING}`;
    return { ok: false, error: `Protobuf type "${clean}" ${what}.` };
  }

  /** Fully qualified names of all message types, sorted (for the publish form's type chooser). */
  typeNames(): string[] {
    const names: string[] = [];
    const walk = (ns: Namespace): void => {
      for (const child of ns.nestedArray) {
        if (child instanceof Type) names.push(child.fullName.replace(/^\./, ''));
        if (child instanceof Namespace) walk(child);
      }
    };
    walk(this.root);
    return names.sort();
  }
}

/** Turns a protobufjs parse error ("illegal token 'x' (line 7)") into a sentence with file and line. */
function syntaxError(fileName: string, error: unknown): ProtoFileError {
  const raw = messageOf(error);
  const m = /^(.*?)\s*\((?:[^,()]*, )?line (\d+)\)$/.exec(raw);
  if (m !== null) {
    const line = Number(m[2]);
    return { fileName, line, message: `Syntax error in ${fileName} at line ${line}: ${m[1] ?? raw}` };
  }
  return { fileName, message: `Error in ${fileName}: ${raw}` };
}

/** Resolves every field on its own, so an unknown type names its field and file instead of failing everything. */
function resolveEach(ns: Namespace, errors: ProtoFileError[], files: readonly ProtoFile[]): void {
  for (const child of ns.nestedArray) {
    if (child instanceof Type) {
      for (const field of child.fieldsArray) {
        try {
          field.resolve();
        } catch (error) {
          const fileName = field.filename ?? files.find((f) => f.source.includes(field.type))?.fileName ?? '(unknown file)';
          errors.push({ fileName, message: `Error in ${fileName}: field ${child.fullName.replace(/^\./, '')}.${field.name} has type "${field.type}", which is not defined (${messageOf(error)}).` });
        }
      }
      for (const oneof of child.oneofsArray) {
        try {
          oneof.resolve();
        } catch {
          // Reported through its fields.
        }
      }
    }
    if (child instanceof Namespace) resolveEach(child, errors, files);
  }
}
