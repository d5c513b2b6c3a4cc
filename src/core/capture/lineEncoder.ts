/**
 * Message lines written straight into the writer's chunk: the same bytes as `encodeMessageLine`, without building
 * the line as a string first. Per message this saves the base64 string, the JSON of the topic (cached per topic),
 * the template string and its UTF-8 copy: the recording then keeps up with the receive path.
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import { bytesToBase64, propertiesForCapture } from './format';

/** What a line is encoded from (a received or published message). */
export type LineMessage = Pick<MqttMessage, 'topic' | 'payload' | 'qos' | 'retain' | 'dup' | 'direction' | 'properties'>;

/** Room for a line in the writer's chunk. */
export interface LineTarget {
  /** A buffer and an offset with at least `bytes` free after it. */
  reserve(bytes: number): { buffer: Buffer; offset: number };
  /** The line took `bytes` of the reserved room. */
  commit(bytes: number): void;
}

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const PAD = 0x3d; // '='
/** Payloads up to this size are encoded here; larger ones by Node's native base64 (faster per byte). */
const INLINE_BASE64_BYTES = 2048;
/** Topics whose `"topic":...` bytes are kept (a bounded memory); topics past it are encoded each time. */
const MAX_CACHED_TOPICS = 32_768;
/** The most bytes of `{"t":<number>` plus the closing `}\n`. */
const FIXED_BYTES = 32;

/** The bytes after the payload, for each qos/retain/dup/direction: `","qos":1,"retain":false,"dup":false,"dir":"in"`. */
const FLAGS: Buffer[] = [];
for (let index = 0; index < 24; index++) {
  const qos = index % 3;
  const retain = Math.floor(index / 3) % 2 === 1;
  const dup = Math.floor(index / 6) % 2 === 1;
  const direction = index >= 12 ? 'out' : 'in';
  FLAGS.push(Buffer.from(`","qos":${qos},"retain":${retain},"dup":${dup},"dir":"${direction}"`, 'latin1'));
}

function flagsOf(message: LineMessage): Buffer {
  const qos = message.qos === 1 || message.qos === 2 ? message.qos : 0;
  return FLAGS[qos + (message.retain ? 3 : 0) + (message.dup ? 6 : 0) + (message.direction === 'out' ? 12 : 0)] as Buffer;
}

const T_KEY = Buffer.from('{"t":', 'latin1');

/** The decimal digits of a whole number `n` >= 0 into `out` at `at`; returns the offset after them. */
function writeWholeNumber(n: number, out: Buffer, at: number): number {
  if (!Number.isSafeInteger(n)) return at + out.write(String(n), at, 'latin1');
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = n;
  for (let i = at + digits - 1; i >= at; i--) {
    out[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/** Base64 of `bytes` into `out` at `at`; returns the offset after it. */
function writeBase64(bytes: Uint8Array, out: Buffer, at: number): number {
  if (bytes.length > INLINE_BASE64_BYTES) return at + out.write(bytesToBase64(bytes), at, 'latin1');
  let o = at;
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = ALPHABET[v >>> 18] as number;
    out[o++] = ALPHABET[(v >>> 12) & 63] as number;
    out[o++] = ALPHABET[(v >>> 6) & 63] as number;
    out[o++] = ALPHABET[v & 63] as number;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const v = ((bytes[whole] as number) << 16) | (rest === 2 ? (bytes[whole + 1] as number) << 8 : 0);
    out[o++] = ALPHABET[v >>> 18] as number;
    out[o++] = ALPHABET[(v >>> 12) & 63] as number;
    out[o++] = rest === 2 ? (ALPHABET[(v >>> 6) & 63] as number) : PAD;
    out[o++] = PAD;
  }
  return o;
}

/** Writes message lines into a {@link LineTarget}; one per writer (it caches the topics it has seen). */
export class MessageLineEncoder {
  private readonly topics = new Map<string, Buffer>();

  /** Writes the line of `message` at `t` microseconds (with its `\n`); returns its length in bytes. */
  write(message: LineMessage, t: number, target: LineTarget): number {
    const topic = this.topicBytes(message.topic);
    const flags = flagsOf(message);
    const properties = message.properties && propertiesForCapture(message.properties);
    const propertiesText = properties ? `,"properties":${JSON.stringify(properties)}` : '';
    const base64Length = Math.ceil(message.payload.length / 3) * 4;
    const { buffer, offset } = target.reserve(FIXED_BYTES + topic.length + base64Length + flags.length + propertiesText.length * 3);
    buffer.set(T_KEY, offset);
    let o = writeWholeNumber(Math.max(0, Math.round(t)), buffer, offset + T_KEY.length);
    buffer.set(topic, o);
    o = writeBase64(message.payload, buffer, o + topic.length);
    buffer.set(flags, o);
    o += flags.length;
    if (propertiesText !== '') o += buffer.write(propertiesText, o, 'utf8');
    buffer[o++] = 0x7d; // '}'
    buffer[o++] = 0x0a; // '\n'
    target.commit(o - offset);
    return o - offset;
  }

  /** `,"topic":<JSON string>,"payload":"` as UTF-8. */
  private topicBytes(topic: string): Buffer {
    let bytes = this.topics.get(topic);
    if (bytes === undefined) {
      bytes = Buffer.from(`,"topic":${JSON.stringify(topic)},"payload":"`, 'utf8');
      if (this.topics.size < MAX_CACHED_TOPICS) this.topics.set(topic, bytes);
    }
    return bytes;
  }
}
