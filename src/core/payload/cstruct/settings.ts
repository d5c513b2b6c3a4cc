import { FieldReader } from '../../fieldReader';
import { topicMatchesFilter, validateTopicFilter } from '../../topics';
import type { Endianness, LayoutOptions } from './layout';
import type { StructRegistry } from './registry';

/** Name of the setting, for sentences. */
export const STRUCTS_SETTING = 'mqttWorkbench.structs';

/** The setting `mqttWorkbench.structs`, checked: headers, topic filter -> type, layout defaults and per-type overrides. */
export interface StructSettings {
  /** Header paths as written (the host resolves `${workspaceFolder}` and relative paths). */
  files: string[];
  /** Topic filter -> struct type, in setting order (the first match wins). */
  types: Array<[filter: string, type: string]>;
  defaults: LayoutOptions;
  /** Type name -> its own byte order and packing. */
  overrides: Map<string, Partial<LayoutOptions>>;
}

const ENDIANNESS = ['little', 'big'] as const;
const PACKING = [1, 2, 4, 8, 16] as const;

/** Endianness and packing of an object (the setting itself or one override). */
function layoutOf(reader: FieldReader): Partial<LayoutOptions> {
  const options: Partial<LayoutOptions> = {};
  const endianness: Endianness | undefined = reader.oneOf('endianness', ENDIANNESS);
  const packing = reader.oneOf('packing', PACKING);
  if (endianness !== undefined) options.endianness = endianness;
  if (packing !== undefined) options.packing = packing;
  return options;
}

/** Reads the setting; every problem is a sentence naming its field, and the usable rest is kept. */
export function readStructSettings(value: unknown, problems: string[]): StructSettings {
  const empty: StructSettings = { files: [], types: [], defaults: { endianness: 'little' }, overrides: new Map() };
  if (value === undefined || value === null) return empty;
  const reader = FieldReader.object(value, STRUCTS_SETTING, problems);
  if (reader === undefined) return empty;
  const files = reader.stringArray('files') ?? [];
  const types: Array<[string, string]> = [];
  const typeReader = reader.object('types');
  for (const [filter, type] of Object.entries(typeReader === undefined ? {} : ((value as Record<string, unknown>).types as Record<string, unknown>))) {
    const filterProblem = validateTopicFilter(filter);
    if (filterProblem) problems.push(`${STRUCTS_SETTING}.types: "${filter}": ${filterProblem}`);
    else if (typeof type !== 'string' || type.trim() === '') problems.push(`${STRUCTS_SETTING}.types: "${filter}" must map to a C struct type name such as "telemetry_t".`);
    else types.push([filter, type.trim()]);
  }
  const defaults: LayoutOptions = { endianness: 'little', ...layoutOf(reader) };
  const overrides = new Map<string, Partial<LayoutOptions>>();
  const overrideReader = reader.object('overrides');
  for (const name of Object.keys(overrideReader === undefined ? {} : ((value as Record<string, unknown>).overrides as Record<string, unknown>))) {
    const one = overrideReader?.object(name);
    if (one === undefined) continue;
    overrides.set(name.trim(), layoutOf(one));
    one.rejectUnknownFields();
  }
  reader.rejectUnknownFields();
  return { files, types, defaults, overrides };
}

/** A header listed in the setting that cannot be read. */
export function headerNotFound(path: string): string {
  return `${STRUCTS_SETTING}.files: header not found: ${path}`;
}

/** The palette's publish flow when format C struct is chosen but no header declares a struct. */
export const NO_STRUCT_TYPES = `No C struct types are loaded: list your headers in the setting ${STRUCTS_SETTING} (files).`;

/** A sentence for each topic mapping whose type no loaded header declares (checked once headers are loaded). */
export function unknownMappedTypes(settings: StructSettings, registry: StructRegistry): string[] {
  return settings.types.filter(([, type]) => !registry.lookup(type).ok && !registry.typeNames().includes(type)).map(([filter, type]) => `${STRUCTS_SETTING}.types: "${filter}" maps to "${type}", which is not a struct in the headers.`);
}

/** The struct type a topic carries by the first matching filter of the setting. */
export function structTypeForTopic(settings: StructSettings, topic: string): string | undefined {
  return settings.types.find(([filter]) => topicMatchesFilter(filter, topic))?.[1];
}
