/**
 * The message history of one connection: a bounded log (count AND bytes) of incoming and outgoing
 * messages with stable ids, filtered views for a virtual list, export and a persistence snapshot.
 *
 * Storage is a ring of columns (history/entryRing.ts: typed arrays, small payloads copied into shared segments,
 * no object per entry): append and evict are O(1) amortised. Ids are contiguous from `firstId` to `lastId`, so
 * `get(id)` is O(1) too; reads build the message object.
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import type { MqttMessage } from '../shared/mqttMessage';
import { propertiesBytes } from './history/encoding';
import { EntryRing, SEGMENT_PAYLOAD_MAX } from './history/entryRing';
import { SnapshotError, decodeSnapshot, encodeSnapshot } from './history/snapshot';
import { HistoryView } from './history/view';
import type { HistoryEntry, HistoryFilter, HistorySource } from './history/view';

export { HistoryView, compileHistoryFilter, validateHistoryFilter } from './history/view';
export type { CompiledFilter, HistoryEntry, HistoryFilter, HistorySource } from './history/view';
export { CSV_COLUMNS, csvField, csvLines, exportCsv, exportJsonLines, exportRecord, isHistoryCsvHeader, jsonLines, type FieldDecoder } from './history/export';
export type { ExportRecord } from './history/export';
export { SEARCH_TEXT_BYTES } from './history/encoding';
export type { PropertiesJson } from './history/encoding';

/** How much a history keeps. Both limits hold after every call. */
export interface HistoryLimits {
  /** Most entries kept (setting, default 10,000). 0 keeps nothing. */
  maxMessages: number;
  /** Most accounted bytes kept (setting, default 64 MB); see {@link entryBytes}. */
  maxBytes: number;
}

/** The defaults of {@link HistoryLimits}: 10,000 messages, 64 MB. */
export const DEFAULT_HISTORY_LIMITS: Readonly<HistoryLimits> = Object.freeze({ maxMessages: 10_000, maxBytes: 64 * 1024 * 1024 });

/**
 * Fixed bytes accounted per entry: the message object, the payload's typed array object and the ring slots.
 * Measured with test/bench/history.bench.ts on Node 20 (64-byte payloads: ~430 B per entry in the heap).
 */
export const ENTRY_OVERHEAD_BYTES = 320;

/** Large payloads whose backing buffer is larger than this and 4x the payload are copied, so they never pin a big chunk. */
const COPY_BACKING_ABOVE = 64 * 1024;
const INITIAL_CAPACITY = 1024;

/**
 * Bytes an entry counts against `maxBytes`:
 * `payload.byteLength + topic.length * 2 + ENTRY_OVERHEAD_BYTES + properties`, where properties count
 * their strings at 2 bytes per UTF-16 unit, correlation data at its length, 8 per number and 32 per user
 * property pair (0 without properties).
 */
export function entryBytes(message: MqttMessage): number {
  return message.payload.byteLength + message.topic.length * 2 + ENTRY_OVERHEAD_BYTES + propertiesBytes(message.properties);
}

function checkLimits(limits: HistoryLimits): HistoryLimits {
  for (const key of ['maxMessages', 'maxBytes'] as const) {
    const v = limits[key];
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new RangeError(`History limit ${key} must be a number >= 0, not ${String(v)}.`);
  }
  return { maxMessages: Math.floor(limits.maxMessages), maxBytes: Math.floor(limits.maxBytes) };
}

/** The result of {@link MessageHistory.deserialize}: always a usable history, plus what happened. */
export interface RestoredHistory {
  /** The restored history, or an empty one when the snapshot could not be read. */
  history: MessageHistory;
  /** Number of entries restored (after applying the limits). */
  restored: number;
  /** `Saved history could not be read: <reason>.` when the snapshot was corrupt or truncated. */
  error: string | undefined;
}

/** Options of {@link MessageHistory.serialize}. */
export interface SerializeOptions {
  /** The snapshot is at most this many bytes: the newest entries that fit are kept. */
  maxBytes: number;
}

/** A bounded message log for one connection; see the module comment. */
export class MessageHistory implements HistorySource {
  private ring = new EntryRing(INITIAL_CAPACITY);
  private count = 0;
  private nextId = 1;
  private bytes = 0;
  private dropped = 0;
  private currentLimits: HistoryLimits;

  /** @param limits missing fields take {@link DEFAULT_HISTORY_LIMITS}; throws RangeError on negative or NaN. */
  constructor(limits: Partial<HistoryLimits> = {}) {
    this.currentLimits = checkLimits({ ...DEFAULT_HISTORY_LIMITS, ...limits });
  }

  /** Number of entries kept. */
  get size(): number {
    return this.count;
  }

  /** Accounted bytes of the kept entries (see {@link entryBytes}). */
  get byteSize(): number {
    return this.bytes;
  }

  /**
   * Entries evicted (or refused for being larger than `maxBytes` alone) since creation or `clear()`,
   * for "1,234 older messages were dropped". Restored from a snapshot, plus the entries it left out.
   */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Id of the oldest kept entry; the id the next entry will get when empty. */
  get firstId(): number {
    return this.nextId - this.count;
  }

  /** Id of the newest kept entry; `firstId - 1` when empty (so `lastId - firstId + 1 === size`). */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** The limits in force. */
  get limits(): Readonly<HistoryLimits> {
    return { ...this.currentLimits };
  }

  /**
   * Records a message and evicts the oldest entries until both limits hold. A payload up to 4 KiB is copied
   * (the message object and its buffer are not kept); a larger one is kept as given (do not reuse its buffer),
   * except that it is copied out of a backing buffer larger than 64 KB and 4x the payload. Reads return new
   * message objects. A message larger than `maxBytes` on its own (or any message while
   * `maxMessages` is 0) is not kept, gets no id and counts as dropped.
   * @returns the id given to the message, or `undefined` when it was not kept.
   */
  append(message: MqttMessage): number | undefined {
    const p = message.payload;
    const copyOut = p.byteLength > SEGMENT_PAYLOAD_MAX && p.buffer.byteLength > COPY_BACKING_ABOVE && p.buffer.byteLength > 4 * p.byteLength;
    const m = copyOut ? { ...message, payload: new Uint8Array(p) } : message;
    const size = entryBytes(m);
    const { maxMessages, maxBytes } = this.currentLimits;
    if (size > maxBytes || maxMessages === 0) {
      this.dropped++;
      return undefined;
    }
    while (this.count > 0 && (this.count + 1 > maxMessages || this.bytes + size > maxBytes)) this.evictOldest();
    this.ring.push(m, size);
    this.count++;
    this.bytes += size;
    return this.nextId++;
  }

  /** The entry with this id, or `undefined` when it was never appended or has been evicted. */
  get(id: number): HistoryEntry | undefined {
    const m = this.message(id);
    return m === undefined ? undefined : { ...m, id };
  }

  /** The stored message of an id (a new object; the payload bytes are not copied); `undefined` when not kept. */
  message(id: number): MqttMessage | undefined {
    const offset = id - (this.nextId - this.count);
    if (!(offset >= 0 && offset < this.count) || !Number.isInteger(offset)) return undefined;
    return this.ring.at(offset);
  }

  /** All kept entries, oldest first (for "export all"). */
  *entries(): Generator<HistoryEntry, void, undefined> {
    for (let id = this.firstId; id <= this.lastId; id++) {
      const entry = this.get(id);
      if (entry !== undefined) yield entry;
    }
  }

  /** All kept entries, newest first (the previous message of a topic, a chart's latest points). */
  *entriesNewestFirst(): Generator<HistoryEntry, void, undefined> {
    for (let id = this.lastId; id >= this.firstId; id--) {
      const entry = this.get(id);
      if (entry !== undefined) yield entry;
    }
  }

  /** Changes the limits; shrinking evicts the oldest entries now (counted as dropped). */
  setLimits(limits: Partial<HistoryLimits>): void {
    this.currentLimits = checkLimits({ ...this.currentLimits, ...limits });
    const { maxMessages, maxBytes } = this.currentLimits;
    while (this.count > 0 && (this.count > maxMessages || this.bytes > maxBytes)) this.evictOldest();
    if (this.ring.slots > INITIAL_CAPACITY && this.count * 4 < this.ring.slots) this.resize(Math.max(INITIAL_CAPACITY, this.count * 2));
  }

  /**
   * A filtered view for a virtual list (see {@link HistoryView}). Never throws: an invalid filter gives an
   * empty view whose `error` says why.
   */
  query(filter: HistoryFilter = {}): HistoryView {
    return new HistoryView(this, filter);
  }

  /** Removes every entry and resets `droppedCount`. Ids keep counting up, so old ids never come back. */
  clear(): void {
    this.nextId = this.lastId + 1;
    this.ring = new EntryRing(INITIAL_CAPACITY);
    this.count = 0;
    this.bytes = 0;
    this.dropped = 0;
  }

  /**
   * A binary snapshot (see history/snapshot.ts) of the newest entries that fit in `maxBytes` (ids, order,
   * every field, properties, dropped count including the entries left out). Empty when nothing fits.
   */
  serialize(options: SerializeOptions): Uint8Array {
    return encodeSnapshot(
      {
        nextId: this.nextId,
        droppedCount: this.dropped,
        size: this.count,
        at: (i) => this.ring.at(i),
      },
      Math.max(0, options.maxBytes),
    );
  }

  /**
   * Restores a history saved by {@link serialize}, applying `limits` (entries beyond them count as
   * dropped). Never throws on bad input: corrupt or truncated bytes give an empty history and an error
   * sentence. An empty array (nothing saved) gives an empty history without error.
   */
  static deserialize(bytes: Uint8Array, limits: Partial<HistoryLimits> = {}): RestoredHistory {
    const history = new MessageHistory(limits);
    if (bytes.byteLength === 0) return { history, restored: 0, error: undefined };
    try {
      const snapshot = decodeSnapshot(bytes);
      history.nextId = snapshot.nextId - snapshot.messages.length;
      for (const m of snapshot.messages) {
        const id = history.nextId;
        if (history.append(m) === undefined) {
          // Too large for the new limits: keep ids contiguous by emptying the ring and skipping the id.
          history.evictAll();
          history.nextId = id + 1;
        }
      }
      history.dropped += snapshot.droppedCount;
      return { history, restored: history.size, error: undefined };
    } catch (e) {
      const reason = e instanceof SnapshotError ? e.message : `unexpected error (${e instanceof Error ? e.message : String(e)})`;
      return { history: new MessageHistory(limits), restored: 0, error: `Saved history could not be read: ${reason}.` };
    }
  }

  private evictOldest(): void {
    this.bytes -= this.ring.shift();
    this.count--;
    this.dropped++;
    if (this.count === 0) this.bytes = 0; // no float drift survives an empty ring
  }

  private evictAll(): void {
    while (this.count > 0) this.evictOldest();
  }

  private resize(capacity: number): void {
    let cap = INITIAL_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.ring.resize(cap);
  }
}
