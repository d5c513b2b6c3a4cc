import { MAX_ROWS_PER_REQUEST, MAX_TAIL_ROWS, type HistoryRow } from '../../src/shared/protocol';
import { nextRequestId, post } from '../messaging';

/** Rows kept around the viewport before far ones are forgotten. */
const CACHE_LIMIT = 4000;

/** A request not answered within this time no longer blocks asking again. */
const REQUEST_TIMEOUT_MS = 5000;

interface Pending {
  start: number;
  end: number;
  sent: number;
}

/**
 * The rows of the history list, fetched from the host on demand. Rows are cached by their stable index
 * (`status.offset + position`), which never changes for the life of one host view. At most one request is
 * outstanding for any index; answers to requests made before the last `reset()` are ignored.
 */
export class RowSource {
  private readonly cache = new Map<number, HistoryRow>();
  private readonly pending = new Map<number, Pending>();
  /** Requests with a smaller id belong to a view that no longer exists. */
  private firstValidRequestId = 0;
  /** Rows the host sends with each status while the list follows the end (0: not following). */
  private followRows = -1;

  constructor(private readonly onRowsArrived: () => void) {}

  /** The cached row at a stable index, if any. */
  get(index: number): HistoryRow | undefined {
    return this.cache.get(index);
  }

  /** Stable index of a cached row with this id, searched near `hint` first; `undefined` when not cached. */
  indexOfId(id: number, hint?: number): number | undefined {
    if (hint !== undefined && this.cache.get(hint)?.id === id) return hint;
    for (const [index, row] of this.cache) if (row.id === id) return index;
    return undefined;
  }

  /** Forgets every cached row and in-flight request (the filter changed, the history was cleared, ...). */
  reset(): void {
    this.cache.clear();
    this.pending.clear();
    this.firstValidRequestId = nextRequestId();
  }

  /**
   * Makes sure the rows of stable indices `[first, end)` are cached or requested: asks for the missing
   * span (in pieces of at most MAX_ROWS_PER_REQUEST) that no outstanding request already covers.
   */
  ensure(first: number, end: number): void {
    let index = first;
    while (index < end) {
      if (this.cache.has(index) || this.isPending(index)) {
        index++;
        continue;
      }
      let stop = index + 1;
      while (stop < end && stop - index < MAX_ROWS_PER_REQUEST && !this.cache.has(stop) && !this.isPending(stop)) stop++;
      const requestId = nextRequestId();
      this.pending.set(requestId, { start: index, end: stop, sent: performance.now() });
      post({ type: 'getRows', requestId, start: index, count: stop - index });
      index = stop;
    }
    this.trim(first, end);
  }

  /** Takes the answer to a `getRows`; returns false when it was stale or unknown. */
  receive(requestId: number, start: number, rows: HistoryRow[]): boolean {
    const request = this.pending.get(requestId);
    this.pending.delete(requestId);
    if (!request || requestId < this.firstValidRequestId) return false;
    rows.forEach((row, i) => this.cache.set(start + i, row));
    // An empty answer (rows evicted meanwhile) must not trigger a render that asks again at once.
    if (rows.length > 0) this.onRowsArrived();
    return true;
  }

  /** Takes the newest rows a status carried for a following list. */
  receiveTail(start: number, rows: HistoryRow[]): void {
    rows.forEach((row, i) => this.cache.set(start + i, row));
  }

  /** Tells the host how many of the newest rows to send with each status (0: the list does not follow). */
  follow(rows: number): void {
    const wanted = Math.min(rows, MAX_TAIL_ROWS);
    if (wanted === this.followRows) return;
    this.followRows = wanted;
    post({ type: 'follow', rows: wanted });
  }

  /** Drops a request the host answered with an error, so the range can be asked for again. */
  fail(requestId: number): void {
    this.pending.delete(requestId);
  }

  private isPending(index: number): boolean {
    const now = performance.now();
    for (const p of this.pending.values()) if (index >= p.start && index < p.end && now - p.sent < REQUEST_TIMEOUT_MS) return true;
    return false;
  }

  /** Keeps memory bounded: forgets the rows farthest from the viewport once the cache is large. */
  private trim(first: number, end: number): void {
    if (this.cache.size <= CACHE_LIMIT) return;
    const keep = CACHE_LIMIT / 2;
    for (const index of this.cache.keys()) {
      if (index < first - keep || index >= end + keep) this.cache.delete(index);
    }
  }
}
