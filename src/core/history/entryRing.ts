/**
 * The storage of a MessageHistory: a FIFO ring of entries kept as columns (typed arrays for the numbers and
 * flags, plain arrays for topic strings, properties and large payloads), with small payloads copied into
 * shared 64 KiB segments. No object per entry survives an append: the message object and the receive buffer
 * view of a message die young, where keeping them for 10,000 messages made every message a promoted object
 * for the old-generation collector (the costliest part of receiving at full rate). Reads build a message.
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import type { MqttMessage, PublishProperties, QoS } from '../../shared/mqttMessage';

/** Bytes of one payload segment. Segments are only appended to, never rewritten: a view of one stays valid. */
const SEGMENT_BYTES = 64 * 1024;
/** Payloads up to this size are copied into segments; larger ones are kept by reference. */
export const SEGMENT_PAYLOAD_MAX = 4 * 1024;
/** `segment` of an entry whose payload is kept in `owned`. */
const OWNED = -1;
const EMPTY = new Uint8Array(0);
const RETAIN = 4;
const DUP = 8;
const OUT = 16;

/** Columns of a ring of entries; see the module comment. `capacity` is a power of two. */
export class EntryRing {
  private mask: number;
  private head = 0;
  private count = 0;
  private topics!: (string | undefined)[];
  private properties!: (PublishProperties | undefined)[];
  private owned!: (Uint8Array | undefined)[];
  private flags!: Uint8Array;
  private times!: Float64Array;
  private seqs!: Float64Array;
  private sizes!: Float64Array;
  private segmentOf!: Float64Array;
  private offsets!: Float64Array;
  private lengths!: Float64Array;
  /** Segments that entries still use, oldest first; `segments[i]` has the number `firstSegment + i`. */
  private segments: Uint8Array[] = [];
  private liveInSegment: number[] = [];
  private firstSegment = 0;
  /** Bytes used in the last segment. */
  private fill = 0;

  constructor(private capacity: number) {
    this.mask = capacity - 1;
    this.allocate(capacity);
  }

  /** Entries kept. */
  get length(): number {
    return this.count;
  }

  /** Slots before the ring must grow. */
  get slots(): number {
    return this.capacity;
  }

  /** Appends an entry that counts `size` bytes; the ring grows when full. */
  push(message: MqttMessage, size: number): void {
    if (this.count === this.capacity) this.resize(this.capacity * 2);
    const slot = (this.head + this.count) & this.mask;
    this.topics[slot] = message.topic;
    this.properties[slot] = message.properties;
    this.flags[slot] = message.qos | (message.retain ? RETAIN : 0) | (message.dup ? DUP : 0) | (message.direction === 'out' ? OUT : 0);
    this.times[slot] = message.receivedAt;
    this.seqs[slot] = message.seq;
    this.sizes[slot] = size;
    const payload = message.payload;
    const n = payload.byteLength;
    if (n === 0 || n > SEGMENT_PAYLOAD_MAX) {
      this.owned[slot] = n === 0 ? EMPTY : payload;
      this.segmentOf[slot] = OWNED;
    } else {
      if (this.segments.length === 0 || this.fill + n > SEGMENT_BYTES) this.newSegment();
      const last = this.segments.length - 1;
      this.segments[last].set(payload, this.fill);
      this.segmentOf[slot] = this.firstSegment + last;
      this.offsets[slot] = this.fill;
      this.lengths[slot] = n;
      this.fill += n;
      this.liveInSegment[last]++;
    }
    this.count++;
  }

  /** Removes the oldest entry (there must be one); returns the bytes it counted. */
  shift(): number {
    const slot = this.head;
    const size = this.sizes[slot];
    this.topics[slot] = undefined;
    this.properties[slot] = undefined;
    this.owned[slot] = undefined;
    const segment = this.segmentOf[slot];
    if (segment !== OWNED && --this.liveInSegment[segment - this.firstSegment] === 0) this.dropEmptySegments();
    this.head = (slot + 1) & this.mask;
    this.count--;
    return size;
  }

  /** Entry `i` (0 = oldest, `i < length`) as a new message object; its payload is a view, not a copy. */
  at(i: number): MqttMessage {
    const slot = (this.head + i) & this.mask;
    const f = this.flags[slot];
    const segment = this.segmentOf[slot];
    const offset = this.offsets[slot];
    const payload = segment === OWNED ? (this.owned[slot] ?? EMPTY) : this.segments[segment - this.firstSegment].subarray(offset, offset + this.lengths[slot]);
    const message: MqttMessage = {
      topic: this.topics[slot] ?? '',
      payload,
      qos: (f & 3) as QoS,
      retain: (f & RETAIN) !== 0,
      dup: (f & DUP) !== 0,
      receivedAt: this.times[slot],
      seq: this.seqs[slot],
      direction: (f & OUT) !== 0 ? 'out' : 'in',
    };
    const properties = this.properties[slot];
    if (properties !== undefined) message.properties = properties;
    return message;
  }

  /** Copies the entries into a ring of `capacity` slots (a power of two, at least `length`). */
  resize(capacity: number): void {
    const old = { head: this.head, mask: this.mask, columns: this.columns() };
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.allocate(capacity);
    const columns = this.columns();
    for (let i = 0; i < this.count; i++) {
      const from = (old.head + i) & old.mask;
      for (let c = 0; c < columns.length; c++) columns[c][i] = old.columns[c][from];
    }
    this.head = 0;
  }

  /** New, empty columns of `capacity` slots. */
  private allocate(capacity: number): void {
    this.topics = new Array<string | undefined>(capacity);
    this.properties = new Array<PublishProperties | undefined>(capacity);
    this.owned = new Array<Uint8Array | undefined>(capacity);
    this.flags = new Uint8Array(capacity);
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.segmentOf = new Float64Array(capacity);
    this.offsets = new Float64Array(capacity);
    this.lengths = new Float64Array(capacity);
  }

  /** Every column, in one order (for resize). */
  private columns(): Array<{ [slot: number]: unknown }> {
    return [this.topics, this.properties, this.owned, this.flags, this.times, this.seqs, this.sizes, this.segmentOf, this.offsets, this.lengths];
  }

  private newSegment(): void {
    this.segments.push(new Uint8Array(SEGMENT_BYTES));
    this.liveInSegment.push(0);
    this.fill = 0;
  }

  /** Forgets the oldest segments no entry uses any more (entries leave in order, so they are at the front). */
  private dropEmptySegments(): void {
    let drop = 0;
    while (drop < this.segments.length && this.liveInSegment[drop] === 0) drop++;
    this.segments.splice(0, drop);
    this.liveInSegment.splice(0, drop);
    this.firstSegment += drop;
    if (this.segments.length === 0) this.fill = 0;
  }
}
