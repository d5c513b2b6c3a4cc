/** Readers for the parts of a scenario: positive numbers, templates whose variables must exist, generators. */
import type { FieldReader } from '../fieldReader';
import { describeJsonType } from '../fieldReader';
import { GENERATOR_TYPES, type GeneratorSpec } from './generators';
import { compileString, compileValue, valueVariables, type StringTemplate, type ValueTemplate } from './template';

/** A template string as written and compiled. */
export interface TopicTemplate {
  source: string;
  template: StringTemplate;
}

/** A number > 0; `publish[0].rate: must be a positive number, not "fast"` otherwise. */
export function positiveNumber(reader: FieldReader, key: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = reader.raw(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    reader.problem(key, `must be a positive number, not ${typeof value === 'string' ? JSON.stringify(value) : describeJsonType(value)}`);
    return undefined;
  }
  if (value > max) {
    reader.problem(key, `must be at most ${max}, not ${value}`);
    return undefined;
  }
  return value;
}

/** The sentence for a placeholder whose name is not among `known`. */
function unknownVariable(name: string, known: readonly string[]): string {
  return `unknown variable {${name}}; known: ${known.map((k) => `{${k}}`).join(', ')}`;
}

/** True when `name` is one of `known`, or extends a `prefix.*` entry ("request.json.*" accepts "request.json.id"). */
function isKnown(name: string, known: readonly string[]): boolean {
  return known.some((k) => (k.endsWith('.*') ? name.startsWith(k.slice(0, -1)) && name.length > k.length - 1 : k === name));
}

/** A string template whose variables must all be in `known`. */
export function readStringTemplate(reader: FieldReader, key: string, known: readonly string[], options: { required?: boolean } = {}): TopicTemplate | undefined {
  const source = reader.string(key, { required: options.required, nonEmpty: true });
  if (source === undefined) return undefined;
  const compiled = compileString(source);
  if ('error' in compiled) {
    reader.problem(key, compiled.error);
    return undefined;
  }
  const unknown = compiled.variables.find((name) => !isKnown(name, known));
  if (unknown !== undefined) {
    reader.problem(key, unknownVariable(unknown, known));
    return undefined;
  }
  return { source, template: compiled };
}

/** A JSON payload template whose variables must all be in `known`. */
export function readValueTemplate(reader: FieldReader, key: string, known: readonly string[]): ValueTemplate {
  const raw = reader.raw(key);
  const templateProblems: string[] = [];
  const template = compileValue(raw ?? '', reader.fieldPath(key), templateProblems);
  reader.problems.push(...templateProblems);
  const unknown = valueVariables(template).find((name) => !isKnown(name, known));
  if (unknown !== undefined) reader.problem(key, unknownVariable(unknown, known));
  return template;
}

/** `generators`: name -> generator spec. */
export function readGenerators(reader: FieldReader, reserved: readonly string[]): Record<string, GeneratorSpec> {
  const generators: Record<string, GeneratorSpec> = {};
  const map = reader.object('generators');
  if (!map) return generators;
  for (const name of Object.keys(map.value)) {
    if (reserved.includes(name)) {
      map.problem(name, `"${name}" is a built-in variable; choose another name`);
      map.raw(name);
      continue;
    }
    const spec = readGenerator(map, name);
    if (spec) generators[name] = spec;
  }
  return generators;
}

function readGenerator(map: FieldReader, name: string): GeneratorSpec | undefined {
  const reader = map.object(name);
  if (!reader) return undefined;
  const type = reader.oneOf('type', GENERATOR_TYPES);
  if (type === undefined && !reader.has('type')) reader.problem('type', 'is required');
  const num = (key: string, fallback?: number): number | undefined => {
    const value = reader.number(key, -Number.MAX_VALUE, Number.MAX_VALUE) ?? fallback;
    if (value === undefined && !reader.has(key)) reader.problem(key, 'is required');
    return value;
  };
  const range = (): { min: number; max: number } | undefined => {
    const min = num('min');
    const max = num('max');
    if (min === undefined || max === undefined) return undefined;
    if (max < min) reader.problem('max', `must be at least min (${min})`);
    return { min, max };
  };
  let spec: GeneratorSpec | undefined;
  switch (type) {
    case 'sequence':
      spec = { type, start: num('start', 0) ?? 0, step: num('step', 1) ?? 1 };
      break;
    case 'int': {
      const r = range();
      if (r && (!Number.isInteger(r.min) || !Number.isInteger(r.max))) reader.problem('min', 'min and max of an int generator must be whole numbers');
      spec = r && { type, ...r };
      break;
    }
    case 'float': {
      const r = range();
      spec = r && { type, ...r, decimals: reader.integer('decimals', 0, 15) ?? 2 };
      break;
    }
    case 'sine':
    case 'sawtooth': {
      const r = range();
      const periodSeconds = positiveNumber(reader, 'periodSeconds') ?? 60;
      spec = r && { type, ...r, periodSeconds };
      break;
    }
    case 'walk': {
      const r = range();
      const start = num('start', r?.min) ?? 0;
      spec = r && { type, ...r, start, step: positiveNumber(reader, 'step') ?? 1 };
      break;
    }
    case 'pick': {
      const values = reader.raw('values');
      if (!Array.isArray(values) || values.length === 0) reader.problem('values', `must be a non-empty array, not ${describeJsonType(values)}`);
      else spec = { type, values };
      break;
    }
    case 'timestamp':
      spec = { type, format: reader.oneOf('format', ['ms', 'iso'] as const) ?? 'ms' };
      break;
    case 'uuid':
    case 'index':
      spec = { type };
      break;
  }
  reader.rejectUnknownFields();
  return spec;
}
