import type { Type } from 'protobufjs';
import type { DecodeContext, DecodeResult, EncodeResult, PayloadCodec } from './types';
import { ProtoRegistry } from './protoRegistry';
import { parseJson } from './json';
import { protoDecode, protoEncode } from './protoJson';
import { messageOf } from './textPosition';
import { tooLargeForPreview } from './previewLimit';
import { SPARKPLUG_B_PROTO, SPARKPLUG_PAYLOAD_TYPE } from './sparkplugSchema';

/** Sparkplug B data type names by number (the DataType enum of the schema). */
export const SPARKPLUG_DATA_TYPES: readonly string[] = (() => {
  const block = /enum DataType \{([^}]*)\}/.exec(SPARKPLUG_B_PROTO)?.[1] ?? '';
  const names: string[] = [];
  for (const m of block.matchAll(/(\w+) = (\d+);/g)) names[Number(m[2])] = m[1] ?? '';
  return names;
})();

let payloadType: { ok: true; type: Type } | { ok: false; error: string } | undefined;

/** The Payload message type, parsed once on first use. */
function sparkplugType(): { ok: true; type: Type } | { ok: false; error: string } {
  if (payloadType === undefined) {
    const { registry, errors } = ProtoRegistry.fromFiles([{ fileName: 'sparkplug_b.proto', source: SPARKPLUG_B_PROTO }]);
    payloadType = errors.length > 0 ? { ok: false, error: errors.map((e) => e.message).join(' ') } : registry.lookupType(SPARKPLUG_PAYLOAD_TYPE);
  }
  return payloadType;
}

/** True for topics of the Sparkplug B namespace that carry protobuf payloads (STATE messages are JSON). */
export function isSparkplugTopic(topic: string | undefined): boolean {
  return topic !== undefined && topic.startsWith('spBv1.0/') && !topic.startsWith('spBv1.0/STATE/');
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Unsigned wire value -> signed value for the integer data types (the spec stores them two's complement). */
function toSigned(typeName: string | undefined, holder: Json): void {
  const int = holder.int_value;
  if (typeof int === 'number') {
    if (typeName === 'Int8') holder.int_value = (int << 24) >> 24;
    else if (typeName === 'Int16') holder.int_value = (int << 16) >> 16;
    else if (typeName === 'Int32') holder.int_value = int | 0;
  }
  const long = holder.long_value;
  if (typeName === 'Int64' && (typeof long === 'number' || typeof long === 'string')) {
    const big = BigInt.asIntN(64, BigInt(long));
    holder.long_value = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
  }
}

/** Signed value -> unsigned wire value (inverse of toSigned). */
function toUnsigned(holder: Json): void {
  if (typeof holder.int_value === 'number' && holder.int_value < 0 && Number.isInteger(holder.int_value) && holder.int_value >= -0x80000000) holder.int_value = holder.int_value >>> 0;
  const long = holder.long_value;
  if ((typeof long === 'number' && Number.isSafeInteger(long) && long < 0) || (typeof long === 'string' && /^-\d+$/.test(long))) {
    const big = BigInt(long);
    if (big >= -(1n << 63n)) holder.long_value = BigInt.asUintN(64, big).toString();
  }
}

/** Decoded payload -> display: data type numbers as names, integer values signed per their data type. */
function named(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(named);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = named(v);
  for (const key of ['datatype', 'type']) {
    const n = out[key];
    if (typeof n === 'number') {
      out[key] = SPARKPLUG_DATA_TYPES[n] ?? n;
      toSigned(SPARKPLUG_DATA_TYPES[n], out);
    }
  }
  if (Array.isArray(out.types)) {
    const types = out.types.map((n: unknown) => (typeof n === 'number' ? (SPARKPLUG_DATA_TYPES[n] ?? n) : n));
    out.types = types;
    for (const row of Array.isArray(out.rows) ? out.rows : []) {
      const elements: unknown = isObject(row) ? row.elements : undefined;
      if (Array.isArray(elements)) elements.forEach((e: unknown, i: number) => isObject(e) && toSigned(String(types[i]), e));
    }
  }
  return out;
}

/** Display JSON -> wire object: data type names to numbers; the first unknown name is returned as an error. */
function numbered(value: unknown, path: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = numbered(value[i] as unknown, `${path}[${i}]`);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (!isObject(value)) return { ok: true, value };
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const at = path === '' ? k : `${path}.${k}`;
    if ((k === 'datatype' || k === 'type') && typeof v === 'string') {
      const n = SPARKPLUG_DATA_TYPES.indexOf(v);
      if (n < 0) return { ok: false, error: `at "${at}": "${v}" is not a Sparkplug data type (${SPARKPLUG_DATA_TYPES.join(', ')})` };
      out[k] = n;
    } else if (k === 'types' && Array.isArray(v)) {
      const types: unknown[] = [];
      for (const [i, t] of v.entries()) {
        const n = typeof t === 'string' ? SPARKPLUG_DATA_TYPES.indexOf(t) : t;
        if (n === -1) return { ok: false, error: `at "${at}[${i}]": "${String(t)}" is not a Sparkplug data type` };
        types.push(n);
      }
      out[k] = types;
    } else {
      const r = numbered(v, at);
      if (!r.ok) return r;
      out[k] = r.value;
    }
  }
  toUnsigned(out);
  for (const row of Array.isArray(out.rows) ? out.rows : []) {
    const elements: unknown = isObject(row) ? row.elements : undefined;
    if (Array.isArray(elements)) elements.forEach((e: unknown) => isObject(e) && toUnsigned(e));
  }
  return { ok: true, value: out };
}

/** Sparkplug B (Eclipse Tahu schema): decode to JSON with data type names; encode from that JSON. */
export const sparkplugCodec: PayloadCodec = {
  id: 'sparkplug',
  label: 'Sparkplug B',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    const tooLarge = tooLargeForPreview(bytes, context);
    if (tooLarge) return tooLarge;
    const type = sparkplugType();
    if (!type.ok) return type;
    const decoded = protoDecode(type.type, bytes, false);
    if (!decoded.ok) return { ...decoded, error: decoded.error.replace('protobuf org.eclipse.tahu.protobuf.Payload', 'Sparkplug B payload') };
    try {
      const value = named(decoded.value);
      return { ok: true, text: JSON.stringify(value, null, 2), language: 'json', value };
    } catch (error) {
      return { ok: false, error: `Sparkplug B payload decoded but could not be shown: ${messageOf(error)}` };
    }
  },
  encode(text: string): EncodeResult {
    const type = sparkplugType();
    if (!type.ok) return type;
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed;
    try {
      const wire = numbered(parsed.value, '');
      if (!wire.ok) return { ok: false, error: `Not a valid Sparkplug B payload: ${wire.error}` };
      const encoded = protoEncode(type.type, wire.value);
      return encoded.ok ? encoded : { ok: false, error: encoded.error.replace('protobuf org.eclipse.tahu.protobuf.Payload', 'a Sparkplug B payload') };
    } catch (error) {
      return { ok: false, error: `Could not encode the Sparkplug B payload: ${messageOf(error)}` };
    }
  },
  detect(bytes: Uint8Array, context?: DecodeContext): number {
    if (!isSparkplugTopic(context?.topic)) return 0;
    const type = sparkplugType();
    return type.ok && protoDecode(type.type, bytes, false).ok ? 0.99 : 0.3;
  },
};
