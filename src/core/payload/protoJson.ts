/**
 * Protobuf message <-> JSON for display and the publish form, shared by the protobuf and Sparkplug codecs.
 * protobufjs' fromObject is lenient (unknown fields dropped, bad enum names ignored, "abc" -> NaN), so typed
 * JSON is checked field by field first: a typo is an error that names its path, never silently not sent.
 */

import { Enum, Reader, Type } from 'protobufjs';
import type { Field } from 'protobufjs';
import { parseBase64 } from './base64';
import { messageOf } from './textPosition';

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64 = new Set(['uint64', 'fixed64']);

/** A 64-bit integer from protobufjs (Long) as a number when exact, else as a decimal string. */
function longValue(v: { low: number; high: number; unsigned: boolean }): number | string {
  let big = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  if (!v.unsigned && v.high < 0) big -= 1n << 64n;
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
}

function isLongLike(v: object): v is { low: number; high: number; unsigned: boolean } {
  const r = v as Record<string, unknown>;
  return typeof r.low === 'number' && typeof r.high === 'number' && typeof r.unsigned === 'boolean';
}

/** Replaces Long objects in a toObject() result by numbers (or strings beyond 2^53). */
export function plainLongs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainLongs);
  if (typeof value === 'object' && value !== null) {
    if (isLongLike(value)) return longValue(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainLongs(v);
    return out;
  }
  return value;
}

/** Decodes bytes as `type` into a plain JSON-able object; errors carry the byte offset protobufjs reports. */
export function protoDecode(type: Type, bytes: Uint8Array, defaults: boolean): { ok: true; value: unknown } | { ok: false; error: string; offset?: number } {
  const name = type.fullName.replace(/^\./, '');
  const reader = Reader.create(bytes);
  try {
    const message = type.decode(reader);
    const object = type.toObject(message, { enums: String, bytes: String, defaults, arrays: defaults, objects: defaults });
    return { ok: true, value: inFieldOrder(type, plainLongs(object)) };
  } catch (error) {
    return { ok: false, ...describeDecodeError(name, error, Math.min(reader.pos, bytes.length)) };
  }
}

/** Keys in the order the .proto declares the fields (toObject puts repeated fields first). */
function inFieldOrder(type: Type, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!(field.name in record)) continue;
    const v = record[field.name];
    const sub = field.resolvedType;
    out[field.name] = sub instanceof Type && !field.map ? (Array.isArray(v) ? v.map((e: unknown) => inFieldOrder(sub, e)) : inFieldOrder(sub, v)) : v;
  }
  for (const [k, v] of Object.entries(record)) if (!(k in out)) out[k] = v;
  return out;
}

/** Sentences for protobufjs decode errors, with the byte position when the message contains one. */
function describeDecodeError(name: string, error: unknown, readerPos: number): { error: string; offset?: number } {
  if (error instanceof EvalError) return { error: evalMessage };
  const raw = messageOf(error);
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(raw);
  if (range !== null) {
    const offset = Number(range[1]);
    return { error: `Not valid protobuf ${name} at byte ${offset}: a field needs ${range[2]} more bytes but only ${Number(range[3]) - offset} are left`, offset };
  }
  const wire = /invalid wire type (\d+) at offset (\d+)/.exec(raw);
  if (wire !== null) {
    const offset = Number(wire[2]);
    return { error: `Not valid protobuf ${name} at byte ${offset}: invalid wire type ${wire[1]}`, offset };
  }
  if (raw === 'index out of range') {
    return { error: `Not valid protobuf ${name} at byte ${readerPos}: a length-delimited field runs past the end of its message`, offset: readerPos };
  }
  return { error: `Not valid protobuf ${name} at byte ${readerPos}: ${raw}`, offset: readerPos };
}

const evalMessage = 'Protobuf needs generated code, which this view\'s security policy forbids; it is decoded in the extension host.';

/** Checks JSON against a message type; returns the first problem with its JSON path, or undefined. */
export function checkMessage(type: Type, value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${where(path)}expected an object for message ${type.fullName.replace(/^\./, '')}, found ${kindOf(value)}`;
  }
  const record = value as Record<string, unknown>;
  const oneofSeen = new Map<string, string>();
  for (const [key, v] of Object.entries(record)) {
    const field = type.fields[key];
    const at = path === '' ? key : `${path}.${key}`;
    if (field === undefined) {
      const names = Object.keys(type.fields).join(', ');
      return `${where(path)}unknown field "${key}" in ${type.fullName.replace(/^\./, '')} (fields: ${names})`;
    }
    if (v === null || v === undefined) continue;
    if (field.partOf !== null) {
      const other = oneofSeen.get(field.partOf.name);
      if (other !== undefined) return `${where(at)}"${other}" and "${key}" are both set but belong to oneof "${field.partOf.name}"`;
      oneofSeen.set(field.partOf.name, key);
    }
    field.resolve();
    if (field.map) {
      if (typeof v !== 'object' || Array.isArray(v)) return `${where(at)}expected an object (map), found ${kindOf(v)}`;
      for (const [mk, mv] of Object.entries(v as Record<string, unknown>)) {
        const problem = checkValue(field, mv, `${at}[${JSON.stringify(mk)}]`);
        if (problem !== undefined) return problem;
      }
    } else if (field.repeated) {
      if (!Array.isArray(v)) return `${where(at)}expected an array (repeated field), found ${kindOf(v)}`;
      for (let i = 0; i < v.length; i++) {
        const problem = checkValue(field, v[i] as unknown, `${at}[${i}]`);
        if (problem !== undefined) return problem;
      }
    } else {
      const problem = checkValue(field, v, at);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/** Checks one value of a (resolved) field. */
function checkValue(field: Field, v: unknown, at: string): string | undefined {
  const resolved = field.resolvedType;
  if (resolved instanceof Type) return checkMessage(resolved, v, at);
  if (resolved instanceof Enum) {
    if (typeof v === 'string' && v in resolved.values) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && Object.values(resolved.values).includes(v)) return undefined;
    return `${where(at)}${JSON.stringify(v)} is not a value of enum ${resolved.fullName.replace(/^\./, '')} (${Object.keys(resolved.values).join(', ')})`;
  }
  const t = field.type;
  if (t === 'double' || t === 'float') {
    return typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? undefined : `${where(at)}expected a number (${t}), found ${kindOf(v)}`;
  }
  if (INT32.has(t) || UINT32.has(t)) {
    const [min, max] = INT32.has(t) ? [-0x80000000, 0x7fffffff] : [0, 0xffffffff];
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `${where(at)}expected an integer from ${min} to ${max} (${t}), found ${kindOf(v)}`;
  }
  if (INT64.has(t) || UINT64.has(t)) {
    const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' && /^-?\d+$/.test(v) ? v : undefined;
    if (text === undefined) return `${where(at)}expected an integer (${t}; beyond 2^53 write it as a string), found ${kindOf(v)}`;
    const big = BigInt(text);
    const [min, max] = INT64.has(t) ? [-(1n << 63n), (1n << 63n) - 1n] : [0n, (1n << 64n) - 1n];
    return big >= min && big <= max ? undefined : `${where(at)}${text} is out of range for ${t}`;
  }
  if (t === 'bool') return typeof v === 'boolean' ? undefined : `${where(at)}expected true or false, found ${kindOf(v)}`;
  if (t === 'string') return typeof v === 'string' ? undefined : `${where(at)}expected a string, found ${kindOf(v)}`;
  if (t === 'bytes') {
    if (typeof v !== 'string') return `${where(at)}expected base64 text (bytes), found ${kindOf(v)}`;
    const parsed = parseBase64(v);
    return parsed.ok ? undefined : `${where(at)}${parsed.error}`;
  }
  return undefined;
}

function where(path: string): string {
  return path === '' ? '' : `at "${path}": `;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** Checks, converts and encodes a JSON value as `type`. */
export function protoEncode(type: Type, value: unknown): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const name = type.fullName.replace(/^\./, '');
  try {
    const problem = checkMessage(type, value, '');
    if (problem !== undefined) return { ok: false, error: `Not valid for protobuf ${name}: ${problem}` };
    const message = type.fromObject(value as Record<string, unknown>);
    const verified = type.verify(message);
    if (verified !== null) return { ok: false, error: `Not valid for protobuf ${name}: ${verified}` };
    // A plain Uint8Array copy: in Node protobufjs returns a Buffer, possibly a view of a shared pool.
    return { ok: true, bytes: new Uint8Array(type.encode(message).finish()) };
  } catch (error) {
    if (error instanceof EvalError) return { ok: false, error: evalMessage };
    return { ok: false, error: `Could not encode protobuf ${name}: ${messageOf(error)}` };
  }
}
