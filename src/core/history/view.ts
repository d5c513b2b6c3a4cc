/**
 * Filtered, incrementally maintained views of a message history, for a virtual list.
 *
 * A view keeps the ids of the entries that matched, oldest first, in a Float64Array, and the highest id it
 * has scanned. Every read (`count`, `range`, ...) first syncs with the history in O(new entries): matches
 * whose ids fell below the history's `firstId` (evicted or cleared) are cut from the front with a binary
 * search, then only ids above the last scanned one are tested. Ids are never reused, so a stale id can never
 * point at another message. A view without a filter keeps no ids at all (position = id - firstId).
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import { topicMatchesFilter, validateTopicFilter } from '../topics';
import { asciiSearchFolded, encodeUtf8, searchText } from './encoding';

/** One stored message with the id the history gave it. */
export interface HistoryEntry extends MqttMessage {
  /** Assigned by the history: 1, 2, 3, ... in append order, never reused (not even after `clear()`). */
  readonly id: number;
}

/**
 * What to show. All given conditions must hold; an empty string counts as not given.
 */
export interface HistoryFilter {
  /** MQTT topic filter (`+` one level, `#` the rest; `$`-topics only when the filter starts with `$`). */
  topicFilter?: string;
  /** Case-insensitive plain substring of the topic or of the payload text (see `SEARCH_TEXT_BYTES`). */
  text?: string;
  /** JavaScript regular expression source, tested against the payload text (see `SEARCH_TEXT_BYTES`). */
  regex?: string;
  /** Compile {@link regex} with the `i` flag. */
  regexIgnoreCase?: boolean;
  /** Only incoming (`in`) or only outgoing (`out`) messages. */
  direction?: 'in' | 'out';
}

/** What a view reads from its history. */
export interface HistorySource {
  /** Id of the oldest kept entry (the next id when empty). */
  readonly firstId: number;
  /** Id of the newest kept entry (`firstId - 1` when empty). */
  readonly lastId: number;
  /** The stored message of an id, not copied; `undefined` when not kept. */
  message(id: number): MqttMessage | undefined;
}

type Predicate = (m: MqttMessage) => boolean;

/** Distinct topics whose filter results a view remembers before starting over. */
const TOPIC_CACHE_LIMIT = 100_000;

/** A filter turned into a predicate, or the sentence saying why it cannot be. */
export type CompiledFilter = { predicate: Predicate | undefined; error: undefined } | { predicate: undefined; error: string };

const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};

const given = (s: string | undefined): string | undefined => (s === undefined || s.length === 0 ? undefined : s);

/** `SyntaxError: Invalid regular expression: /(/: Unterminated group` -> `Invalid regular expression: Unterminated group`. */
function regexError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const m = /^Invalid regular expression: \/.*\/[a-z]*: (.*)$/s.exec(message);
  return m !== null ? `Invalid regular expression: ${m[1]}` : message.startsWith('Invalid') ? message : `Invalid regular expression: ${message}`;
}

/**
 * Checks and compiles a filter. `predicate` is `undefined` when the filter lets everything through.
 * Errors are sentences for the user: the topic validator's text (e.g. "'#' must be the last level of a
 * filter, e.g. a/b/#.") or "Invalid regular expression: <reason>".
 */
export function compileHistoryFilter(filter: HistoryFilter): CompiledFilter {
  const topicFilter = given(filter.topicFilter);
  const text = given(filter.text);
  const source = given(filter.regex);
  const direction = filter.direction;
  if (direction !== undefined && direction !== 'in' && direction !== 'out') {
    return { predicate: undefined, error: "Direction must be 'in' or 'out'." };
  }
  if (topicFilter !== undefined) {
    const error = validateTopicFilter(topicFilter);
    if (error !== undefined) return { predicate: undefined, error };
  }
  let regex: RegExp | undefined;
  if (source !== undefined) {
    try {
      regex = new RegExp(source, filter.regexIgnoreCase === true ? 'i' : '');
    } catch (e) {
      return { predicate: undefined, error: regexError(e) };
    }
  }
  if (direction === undefined && topicFilter === undefined && text === undefined && regex === undefined) {
    return { predicate: undefined, error: undefined };
  }
  const needle = text?.toLowerCase();
  // Needle bytes for the decode-free search, when the needle is ASCII (its lower case is then ASCII too).
  const asciiNeedle = needle !== undefined && isAscii(needle) ? encodeUtf8(needle) : undefined;
  const payloadHasNeedle = (payload: Uint8Array, lower: string): boolean => {
    const found = asciiNeedle === undefined ? -1 : asciiSearchFolded(payload, asciiNeedle);
    return found === -1 ? searchText(payload).toLowerCase().includes(lower) : found === 1;
  };
  // What depends on the topic alone is worked out once per distinct topic: bit 1 = passes the topic
  // filter, bit 2 = contains the text. Topics repeat a lot; the cache is reset when it grows large.
  const topicFlags = new Map<string, number>();
  const flagsOf = (topic: string): number => {
    let flags = topicFlags.get(topic);
    if (flags === undefined) {
      flags = (topicFilter === undefined || topicMatchesFilter(topicFilter, topic) ? 1 : 0) | (needle !== undefined && topic.toLowerCase().includes(needle) ? 2 : 0);
      if (topicFlags.size >= TOPIC_CACHE_LIMIT) topicFlags.clear();
      topicFlags.set(topic, flags);
    }
    return flags;
  };
  const needsTopic = topicFilter !== undefined || needle !== undefined;
  const predicate = (m: MqttMessage): boolean => {
    if (direction !== undefined && m.direction !== direction) return false;
    const flags = needsTopic ? flagsOf(m.topic) : 1;
    if ((flags & 1) === 0) return false;
    if (needle !== undefined && (flags & 2) === 0 && !payloadHasNeedle(m.payload, needle)) return false;
    return regex === undefined || regex.test(searchText(m.payload));
  };
  return { predicate, error: undefined };
}

/**
 * Why a filter is invalid, as one sentence for the user, or `undefined` when it is valid (for inline
 * validation in a form before querying).
 */
export function validateHistoryFilter(filter: HistoryFilter): string | undefined {
  return compileHistoryFilter(filter).error;
}

/** First index in `ids[from, to)` whose id is >= `id` (ids ascending). */
function lowerBound(ids: Float64Array, from: number, to: number, id: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const toEntry = (id: number, m: MqttMessage): HistoryEntry => ({ ...m, id });

/**
 * The entries of a history that pass a filter, oldest first, addressed by position for a virtual list.
 * Create with `MessageHistory.query`; keep it while the filter stays the same and read it on each refresh:
 * it catches up with new and evicted entries by itself, in time proportional to what changed.
 *
 * Positions shift down when old matches are evicted; `offset + position` does not (a stable row index for
 * the life of the view), so a list can keep its scroll anchor: `newPosition = oldIndex - view.offset`.
 */
export class HistoryView {
  /** Why the filter is invalid (then the view is empty), or `undefined`. */
  readonly error: string | undefined;
  /** The filter as given. */
  readonly filter: Readonly<HistoryFilter>;
  private readonly predicate: Predicate | undefined;
  private ids = new Float64Array(0);
  private head = 0;
  private tail = 0;
  private scanned: number;
  private dropped = 0;
  private readonly createdFirstId: number;

  /** @internal Use `MessageHistory.query`. */
  constructor(
    private readonly source: HistorySource,
    filter: HistoryFilter,
  ) {
    this.filter = { ...filter };
    const compiled = compileHistoryFilter(filter);
    this.error = compiled.error;
    this.predicate = compiled.predicate;
    this.createdFirstId = source.firstId;
    this.scanned = source.firstId - 1;
  }

  /** True when the view shows every entry (no condition given and no error). */
  get all(): boolean {
    return this.predicate === undefined && this.error === undefined;
  }

  /** Number of matching entries now kept. */
  get count(): number {
    if (this.error !== undefined) return 0;
    if (this.predicate === undefined) return this.source.lastId - this.source.firstId + 1;
    this.sync();
    return this.tail - this.head;
  }

  /** How many matches have left the front (evicted or cleared) since the view was created. */
  get offset(): number {
    if (this.error !== undefined) return 0;
    if (this.predicate === undefined) return this.source.firstId - this.createdFirstId;
    this.sync();
    return this.dropped;
  }

  /** Id of the entry at a position, or `undefined` outside `[0, count)`. */
  idAt(position: number): number | undefined {
    const n = this.count;
    if (!Number.isInteger(position) || position < 0 || position >= n) return undefined;
    return this.predicate === undefined ? this.source.firstId + position : this.ids[this.head + position];
  }

  /**
   * Position of the first match with an id >= `id` (`count` when none): where an entry is, or would be.
   * Use it to keep a selection or scroll anchor by id.
   */
  positionOf(id: number): number {
    const n = this.count;
    if (this.predicate === undefined) return Math.min(n, Math.max(0, Math.ceil(id) - this.source.firstId));
    return lowerBound(this.ids, this.head, this.tail, id) - this.head;
  }

  /** Up to `count` entries from `start` (positions in this view, oldest first), clamped to what exists. */
  range(start: number, count: number): HistoryEntry[] {
    const n = this.count;
    const from = Math.max(0, Math.floor(start));
    const to = Math.min(n, from + Math.max(0, Math.floor(count)));
    const out: HistoryEntry[] = [];
    for (let p = from; p < to; p++) {
      const id = this.predicate === undefined ? this.source.firstId + p : this.ids[this.head + p];
      const m = this.source.message(id);
      if (m !== undefined) out.push(toEntry(id, m));
    }
    return out;
  }

  /** All matching entries, oldest first (for "export filtered"); entries evicted while iterating are skipped. */
  *entries(): Generator<HistoryEntry, void, undefined> {
    const n = this.count;
    const ids = this.predicate === undefined ? undefined : this.ids.slice(this.head, this.tail);
    const first = this.source.firstId;
    for (let p = 0; p < n; p++) {
      const id = ids === undefined ? first + p : ids[p];
      const m = this.source.message(id);
      if (m !== undefined) yield toEntry(id, m);
    }
  }

  /** Cuts evicted matches from the front, then tests the entries appended since the last sync. */
  private sync(): void {
    const predicate = this.predicate;
    if (predicate === undefined) return;
    const first = this.source.firstId;
    const last = this.source.lastId;
    if (this.head < this.tail && this.ids[this.head] < first) {
      const cut = lowerBound(this.ids, this.head, this.tail, first);
      this.dropped += cut - this.head;
      this.head = cut;
      if (this.head === this.tail) this.head = this.tail = 0;
    }
    if (this.scanned < first - 1) this.scanned = first - 1;
    for (let id = this.scanned + 1; id <= last; id++) {
      const m = this.source.message(id);
      if (m !== undefined && predicate(m)) this.push(id);
    }
    if (last > this.scanned) this.scanned = last;
  }

  private push(id: number): void {
    if (this.tail === this.ids.length) {
      const live = this.tail - this.head;
      if (this.head > 0 && live <= this.ids.length / 2) {
        this.ids.copyWithin(0, this.head, this.tail);
      } else {
        const grown = new Float64Array(Math.max(256, this.ids.length * 2));
        grown.set(this.ids.subarray(this.head, this.tail));
        this.ids = grown;
      }
      this.head = 0;
      this.tail = live;
    }
    this.ids[this.tail++] = id;
  }
}
