/**
 * The value a watch or an alert rule looks at: the payload decoded by a codec of the payload registry
 * (core/payload), then a path into the decoded value. Any codec whose decoder returns a `value` (JSON, CBOR,
 * MessagePack, Protobuf, Sparkplug and whatever codec is registered later) works here unchanged; codecs that
 * only give text (text, hex, base64) give that text as the value.
 */
import { decodePayload, type CodecId, type DecodeContext } from '../payload';
import { structTypeFor } from '../payload/cstruct/codec';
import { parseValuePath, type PathStep } from '../history/series';

/** Where the value is: which codec decodes the payload ('auto' detects it) and the path inside it. */
export interface FieldSpec {
  codec: CodecId | 'auto';
  /** Steps into the decoded value; empty means the whole payload. */
  steps: readonly PathStep[];
  /** The path as the user wrote it (for display). */
  path: string;
}

/** The value found, or why there is none (shown on the watch, never raised). */
export type FieldValue = { ok: true; value: unknown } | { ok: false; reason: string };

/** Largest payload decoded for a watch or a rule; bigger ones are skipped with a reason. */
export const MAX_FIELD_PAYLOAD_BYTES = 256 * 1024;

/** Parses a user's path (`data.values[0].temp`, `metrics.Temperature.value`) into a FieldSpec, or a sentence. */
export function fieldSpec(path: string, codec: CodecId | 'auto'): FieldSpec | string {
  const parsed = parseValuePath(path);
  if (!parsed.ok) return parsed.error;
  return { codec, steps: parsed.steps, path: path.trim() };
}

/**
 * Walks `steps` into a decoded value. A key step on an array picks the element whose `name` is that key,
 * so a Sparkplug metric is `metrics.Temperature.value`.
 */
export function valueAtPath(root: unknown, steps: readonly PathStep[]): { found: true; value: unknown } | { found: false } {
  let value = root;
  for (const step of steps) {
    if (typeof value !== 'object' || value === null) return { found: false };
    if (value instanceof Map) {
      // CBOR and MessagePack maps may have keys of any type: a path step matches a string or number key.
      const map = value as Map<unknown, unknown>;
      value = map.has(step) ? map.get(step) : map.get(typeof step === 'number' ? String(step) : Number(step));
    } else if (Array.isArray(value) && typeof step === 'string') {
      value = value.find((item: unknown) => typeof item === 'object' && item !== null && (item as Record<string, unknown>).name === step);
    } else {
      value = (value as Record<string | number, unknown>)[step];
    }
    if (value === undefined) return { found: false };
  }
  return { found: true, value };
}

const utf8 = new TextDecoder();

/**
 * Remembers the codec "auto" chose per topic (a topic keeps its format), so detection runs once per topic
 * rather than per message; a payload the remembered codec cannot decode is detected again. Bounded.
 */
export class DetectedCodecs {
  private readonly byTopic = new Map<string, CodecId>();

  constructor(private readonly maxTopics = 20_000) {}

  get(topic: string | undefined): CodecId | undefined {
    return topic === undefined ? undefined : this.byTopic.get(topic);
  }

  set(topic: string | undefined, codec: CodecId): void {
    if (topic === undefined) return;
    if (this.byTopic.size >= this.maxTopics) this.byTopic.clear();
    this.byTopic.set(topic, codec);
  }
}

/**
 * Decodes `payload` with the spec's codec and reads the value at its path; never throws. The whole payload
 * with "auto" or "text" is its text (a number in text is compared as a number), without running the codecs.
 */
export function readField(payload: Uint8Array, spec: FieldSpec, context: DecodeContext = {}, detected?: DetectedCodecs): FieldValue {
  if (payload.byteLength > MAX_FIELD_PAYLOAD_BYTES) return { ok: false, reason: `Payload of ${payload.byteLength} bytes is too large to read a value from.` };
  if (spec.steps.length === 0 && (spec.codec === 'auto' || spec.codec === 'text')) return { ok: true, value: utf8.decode(payload).trim() };
  const remembered = spec.codec === 'auto' ? detected?.get(context.topic) : undefined;
  let decoded = decodePayload(payload, remembered ?? spec.codec, context);
  if (remembered !== undefined && !decoded.ok) decoded = decodePayload(payload, 'auto', context);
  if (spec.codec === 'auto' && decoded.ok) detected?.set(context.topic, decoded.codec);
  if (!decoded.ok) return { ok: false, reason: decoded.error };
  const root = decoded.value !== undefined ? decoded.value : decoded.text;
  if (spec.steps.length === 0) return { ok: true, value: typeof root === 'string' ? root.trim() : root };
  const at = valueAtPath(root, decoded.codec === 'cstruct' ? withoutTypeName(spec.steps, structTypeFor(context)) : spec.steps);
  if (!at.found) return { ok: false, reason: `Nothing at ${spec.path} in this ${decoded.codec} payload.` };
  return { ok: true, value: at.value };
}

/** A C struct path may start with the struct's type name (`telemetry_t.battery.mv`), as the firmware writes it. */
function withoutTypeName(steps: readonly PathStep[], typeName: string | undefined): readonly PathStep[] {
  return typeName !== undefined && steps.length > 1 && steps[0] === typeName ? steps.slice(1) : steps;
}

/**
 * Whether a payload's text is surely not a number, from its first byte that is not ASCII white space (an ASCII
 * byte other than a digit, `+`, `-` or `.`; nothing at all): lets a whole-payload threshold skip decoding
 * `{"t":21}` or `online`. A non-ASCII first byte (a byte order mark, a Unicode space) is left to the decoder.
 */
export function cannotBeNumberText(payload: Uint8Array): boolean {
  for (let i = 0; i < payload.length; i++) {
    const byte = payload[i] ?? 0;
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    if (byte >= 0x80) return false;
    return !((byte >= 0x30 && byte <= 0x39) || byte === 0x2b || byte === 0x2d || byte === 0x2e);
  }
  return true;
}

/** A number from a value: numbers, numeric strings, booleans (1/0); else undefined. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A value as one short line of text (for lists, notifications and `{value}` placeholders). */
export function valueLabel(value: unknown, maxChars = 60): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else if (value instanceof Uint8Array) text = `${value.byteLength} bytes`;
  else {
    try {
      text = JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : typeof v === 'bigint' ? String(v) : v)) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
