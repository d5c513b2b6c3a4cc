import type { DecodeContext, DecodeResult, EncodeContext, EncodeResult, PayloadCodec } from '../types';
import { parseJson } from '../json';
import { formatCount } from '../textPosition';
import { mappedType } from '../mappedType';
import { describeFields } from './describe';
import { EncodeProblem, writeValue } from './encode';
import type { CompiledStruct, StructRegistry } from './registry';

/** The struct type to use: explicit `structType`, else the topic mapping (setting mqttWorkbench.structs.types). */
export function structTypeFor(context: DecodeContext | undefined): string | undefined {
  return mappedType(context?.structType, context?.topic, context?.structTypeForTopic);
}

/** Resolves the registry and type, or says which is missing. */
export function lookupStruct(registry: StructRegistry | undefined, typeName: string | undefined): { ok: true; struct: CompiledStruct } | { ok: false; error: string } {
  if (typeName === undefined || typeName.trim() === '') return { ok: false, error: 'No C struct type chosen: map this topic to a type in mqttWorkbench.structs.types, or pick one.' };
  if (registry === undefined) return { ok: false, error: `C struct type "${typeName.trim()}" is not defined: no headers are loaded (setting mqttWorkbench.structs.files).` };
  return registry.lookup(typeName);
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** Decodes `bytes` as `struct`: the fields that fit, and a note when bytes are missing or left over. */
export function decodeStruct(struct: CompiledStruct, bytes: Uint8Array, describe = false): DecodeResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const value = (struct.read(view, 0, bytes.length) ?? {}) as Record<string, unknown>;
  const size = struct.type.size;
  const notes: string[] = [];
  if (bytes.length < size) notes.push(`${plural(size - bytes.length, 'byte')} missing: ${struct.name} is ${plural(size, 'byte')}, the payload ${formatCount(bytes.length)}; the fields that fit are shown.`);
  if (bytes.length > size) notes.push(`${plural(bytes.length - size, 'byte')} left over after the ${plural(size, 'byte')} of ${struct.name}.`);
  const described = describe ? describeFields(struct.type, bytes, struct.options.endianness) : undefined;
  if (described?.cut === true) notes.push(`Only the first ${formatCount(described.rows.length)} fields are listed.`);
  return { ok: true, text: JSON.stringify(value, null, 2), language: 'json', value, ...(notes.length > 0 ? { notes } : {}), ...(described !== undefined ? { fields: described.rows } : {}) };
}

/** Encodes a JSON value as `struct`: fields left out are zero, every value is range-checked. */
export function encodeStruct(struct: CompiledStruct, value: unknown): EncodeResult {
  const bytes = new Uint8Array(struct.type.size);
  try {
    writeValue(new DataView(bytes.buffer), 0, struct.type, value, '', struct.options.endianness);
  } catch (error) {
    if (error instanceof EncodeProblem) return { ok: false, error: error.message };
    throw error;
  }
  return { ok: true, bytes };
}

/**
 * The value at a field path of a decoded struct: `battery.mv`, `cells[2].mv`, or with the type in front as
 * Watches write it, `telemetry_t.battery.mv`. Undefined when the path names no decoded field.
 */
export function structFieldValue(decoded: unknown, path: string, typeName?: string): unknown {
  let rest = path.trim();
  if (typeName !== undefined && (rest === typeName || rest.startsWith(`${typeName}.`))) rest = rest.slice(typeName.length + 1);
  let current = decoded;
  for (const step of rest.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** C structs from the user's headers: decode to JSON (with a field tree), encode JSON with range checks. */
export const cstructCodec: PayloadCodec = {
  id: 'cstruct',
  label: 'C struct',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    if (context?.maxBytes !== undefined && bytes.length > context.maxBytes) {
      return { ok: false, error: `Payload of ${formatCount(bytes.length)} bytes is larger than the ${formatCount(context.maxBytes)} bytes decoded in a preview; select the message to see it all.` };
    }
    const found = lookupStruct(context?.structs, structTypeFor(context));
    if (!found.ok) return found;
    return decodeStruct(found.struct, bytes, context?.describeFields === true);
  },
  encode(text: string, context?: EncodeContext): EncodeResult {
    const found = lookupStruct(context?.structs, context?.structType);
    if (!found.ok) return found;
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed;
    return encodeStruct(found.struct, parsed.value);
  },
  detect(_bytes: Uint8Array, context?: DecodeContext): number {
    // Raw struct bytes look like anything; a topic mapped to a type is the user saying what they are.
    return structTypeFor(context) !== undefined ? 0.99 : 0;
  },
};
