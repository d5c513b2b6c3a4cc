/**
 * The binary snapshot a history is saved as across window reloads (workspace storage).
 *
 * Layout (little endian, `varint` = unsigned LEB128 up to 2^53, `zigzag` = signed varint):
 * ```
 * "MQWH"  u8 version (1)  u32 total length
 * varint nextId  varint droppedCount  varint topicCount  { varint length, UTF-8 topic } * topicCount
 * varint entryCount, then per entry, oldest first (ids are nextId - entryCount .. nextId - 1):
 *   u8 flags: bits 0-1 QoS, 2 retain, 3 dup, 4 outgoing, 5 has properties, 6 raw time, 7 raw seq
 *   varint topic index
 *   time: zigzag delta from the previous entry's receivedAt (0 before the first), or f64 when bit 6
 *   seq:  zigzag delta from the previous entry's seq, or f64 when bit 7
 *   varint payload length, payload bytes
 *   [bit 5] varint length, UTF-8 JSON of the properties (correlation data as hex, user properties as pairs)
 * u32 CRC-32 of everything before it
 * ```
 * Topics are stored once each. Decoding checks length, checksum and every field, and throws
 * {@link SnapshotError} with a short reason.
 */
import type { MqttMessage, QoS } from '../../shared/mqttMessage';
import { decodeUtf8Strict, encodeUtf8, propertiesFromJson, propertiesToJson } from './encoding';

const MAGIC = [0x4d, 0x51, 0x57, 0x48]; // "MQWH"
const VERSION = 1;
const HEADER_BYTES = 9;
/** Header + 4 varints of at most 8 bytes + CRC + slack for the first entry's deltas being taken from 0. */
const RESERVED_BYTES = HEADER_BYTES + 4 * 8 + 4 + 16;
const MAX_DELTA = 2 ** 52;

const F_RETAIN = 4;
const F_DUP = 8;
const F_OUT = 16;
const F_PROPS = 32;
const F_RAW_TIME = 64;
const F_RAW_SEQ = 128;

/** Why a snapshot could not be read (a short reason, completed by the caller into a sentence). */
export class SnapshotError extends Error {}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE, as in zip and PNG). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.byteLength; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const varintBytes = (n: number): number => {
  let bytes = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    bytes++;
  }
  return bytes;
};
const zigzag = (d: number): number => (d >= 0 ? d * 2 : -d * 2 - 1);
const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
/** Whether `value - prev` is stored as a zigzag varint (else raw f64). */
const deltaFits = (value: number, prev: number): boolean => Number.isSafeInteger(value) && Number.isSafeInteger(value - prev) && Math.abs(value - prev) < MAX_DELTA;
const deltaBytes = (value: number, prev: number): number => (deltaFits(value, prev) ? varintBytes(zigzag(value - prev)) : 8);

class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
    this.view = new DataView(this.buf.buffer);
  }
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }
  varint(n: number): void {
    while (n >= 0x80) {
      this.u8((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.u8(n);
  }
  bytes(b: Uint8Array): void {
    this.varint(b.byteLength);
    this.ensure(b.byteLength);
    this.buf.set(b, this.length);
    this.length += b.byteLength;
  }
  finish(): Uint8Array {
    this.view.setUint32(5, this.length + 4, true);
    this.u32(crc32(this.buf.subarray(0, this.length)));
    return this.buf.slice(0, this.length);
  }
}

/** What a history hands over to be saved. */
export interface SnapshotSource {
  nextId: number;
  droppedCount: number;
  /** Number of kept entries. */
  size: number;
  /** Kept message at a position, 0 = oldest. */
  at(index: number): MqttMessage;
}

/**
 * Encodes the newest entries whose snapshot fits in `maxBytes`; the entries left out are added to the
 * saved dropped count. Returns an empty array when not even an empty snapshot fits.
 */
export function encodeSnapshot(source: SnapshotSource, maxBytes: number): Uint8Array {
  const topicIndex = new Map<string, number>();
  const topics: Uint8Array[] = [];
  const props: (Uint8Array | undefined)[] = [];
  let budget = maxBytes - RESERVED_BYTES;
  let first = source.size;
  for (let i = source.size - 1; i >= 0; i--) {
    const m = source.at(i);
    const prev = i > 0 ? source.at(i - 1) : undefined;
    let cost = 1 + deltaBytes(m.receivedAt, prev?.receivedAt ?? 0) + deltaBytes(m.seq, prev?.seq ?? 0);
    cost += varintBytes(m.payload.byteLength) + m.payload.byteLength;
    const json = propertiesToJson(m.properties);
    const p = json === undefined ? undefined : encodeUtf8(JSON.stringify(json));
    if (p !== undefined) cost += varintBytes(p.byteLength) + p.byteLength;
    let index = topicIndex.get(m.topic);
    let topic: Uint8Array | undefined;
    if (index === undefined) {
      topic = encodeUtf8(m.topic);
      index = topics.length;
      cost += varintBytes(topic.byteLength) + topic.byteLength;
    }
    cost += varintBytes(index);
    if (cost > budget) break;
    budget -= cost;
    if (topic !== undefined) {
      topicIndex.set(m.topic, index);
      topics.push(topic);
    }
    props[i] = p;
    first = i;
  }
  const entries = source.size - first;
  const w = new ByteWriter(maxBytes - budget);
  for (const b of MAGIC) w.u8(b);
  w.u8(VERSION);
  w.u32(0); // total length, set by finish()
  w.varint(source.nextId);
  w.varint(source.droppedCount + first);
  w.varint(topics.length);
  for (const t of topics) w.bytes(t);
  w.varint(entries);
  let prevTime = 0;
  let prevSeq = 0;
  for (let i = first; i < source.size; i++) {
    const m = source.at(i);
    const p = props[i];
    const rawTime = !deltaFits(m.receivedAt, prevTime);
    const rawSeq = !deltaFits(m.seq, prevSeq);
    w.u8(m.qos | (m.retain ? F_RETAIN : 0) | (m.dup ? F_DUP : 0) | (m.direction === 'out' ? F_OUT : 0) | (p !== undefined ? F_PROPS : 0) | (rawTime ? F_RAW_TIME : 0) | (rawSeq ? F_RAW_SEQ : 0));
    w.varint(topicIndex.get(m.topic) ?? 0);
    if (rawTime) w.f64(m.receivedAt);
    else w.varint(zigzag(m.receivedAt - prevTime));
    if (rawSeq) w.f64(m.seq);
    else w.varint(zigzag(m.seq - prevSeq));
    w.bytes(m.payload);
    if (p !== undefined) w.bytes(p);
    prevTime = m.receivedAt;
    prevSeq = m.seq;
  }
  const out = w.finish();
  return out.byteLength <= maxBytes ? out : new Uint8Array(0);
}

class ByteReader {
  private pos: number;
  private readonly view: DataView;
  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get done(): boolean {
    return this.pos === this.end;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  private need(n: number, what: string): void {
    if (n > this.end - this.pos) throw new SnapshotError(`${what} runs past the end at byte ${this.pos}`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  varint(what: string): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8(what);
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new SnapshotError(`${what} is not a valid number at byte ${this.pos}`);
    }
    if (!Number.isSafeInteger(value)) throw new SnapshotError(`${what} is out of range at byte ${this.pos}`);
    return value;
  }
  bytes(what: string): Uint8Array {
    const n = this.varint(what);
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  text(what: string): string {
    const at = this.pos;
    try {
      return decodeUtf8Strict(this.bytes(what));
    } catch (e) {
      if (e instanceof SnapshotError) throw e;
      throw new SnapshotError(`${what} at byte ${at} is not valid UTF-8`);
    }
  }
}

/** A decoded snapshot. */
export interface DecodedSnapshot {
  /** The id the next appended message gets. */
  nextId: number;
  droppedCount: number;
  /** Oldest first; ids are `nextId - messages.length` upwards. */
  messages: MqttMessage[];
}

/**
 * Reads a snapshot made by {@link encodeSnapshot}.
 * @throws SnapshotError with a short reason ("it is truncated: 100 of 250 bytes", ...).
 */
export function decodeSnapshot(bytes: Uint8Array): DecodedSnapshot {
  if (bytes.byteLength < HEADER_BYTES + 4 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new SnapshotError(bytes.byteLength < MAGIC.length ? `it is too short (${bytes.byteLength} bytes)` : 'it is not a message history snapshot');
  }
  const version = bytes[4];
  if (version !== VERSION) throw new SnapshotError(`it has format version ${version}, this version of MQTT Workbench reads version ${VERSION}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const total = view.getUint32(5, true);
  if (bytes.byteLength < total) throw new SnapshotError(`it is truncated (${bytes.byteLength} of ${total} bytes)`);
  if (total < HEADER_BYTES + 4 || bytes.byteLength > total) throw new SnapshotError(`its length is wrong (${bytes.byteLength} bytes, header says ${total})`);
  if (crc32(bytes.subarray(0, total - 4)) !== view.getUint32(total - 4, true)) throw new SnapshotError('it is corrupt (checksum mismatch)');
  const r = new ByteReader(bytes, HEADER_BYTES, total - 4);
  const nextId = r.varint('next id');
  const droppedCount = r.varint('dropped count');
  const topicCount = r.varint('topic count');
  if (topicCount > r.remaining) throw new SnapshotError(`topic count ${topicCount} is larger than the data`);
  const topics: string[] = [];
  for (let i = 0; i < topicCount; i++) topics.push(r.text(`topic ${i}`));
  const count = r.varint('entry count');
  if (count > r.remaining / 4 || count >= nextId) throw new SnapshotError(`entry count ${count} does not fit the data`);
  const messages: MqttMessage[] = [];
  let prevTime = 0;
  let prevSeq = 0;
  for (let i = 0; i < count; i++) {
    const what = `entry ${i}`;
    const flags = r.u8(what);
    const qos = flags & 3;
    if (qos === 3) throw new SnapshotError(`${what} has QoS 3`);
    const t = r.varint(what);
    const topic = topics[t];
    if (topic === undefined) throw new SnapshotError(`${what} refers to topic ${t} of ${topicCount}`);
    const receivedAt = flags & F_RAW_TIME ? r.f64(what) : prevTime + unzigzag(r.varint(what));
    const seq = flags & F_RAW_SEQ ? r.f64(what) : prevSeq + unzigzag(r.varint(what));
    const payload = r.bytes(what);
    const m: MqttMessage = { topic, payload, qos: qos as QoS, retain: (flags & F_RETAIN) !== 0, dup: (flags & F_DUP) !== 0, receivedAt, seq, direction: flags & F_OUT ? 'out' : 'in' };
    if (flags & F_PROPS) {
      const json = r.text(`${what} properties`);
      try {
        m.properties = propertiesFromJson(JSON.parse(json));
      } catch (e) {
        throw new SnapshotError(`${what} has unreadable properties (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    messages.push(m);
    prevTime = receivedAt;
    prevSeq = seq;
  }
  if (!r.done) throw new SnapshotError(`${r.remaining} bytes follow the last entry`);
  return { nextId, droppedCount, messages };
}
