/**
 * What a message panel shows of one history, independent of VS Code: the filtered view, pause, the rows the
 * webview asks for, and a status posted on a fixed tick only when it changed. Nothing here is per message:
 * however fast messages arrive, the webview gets at most one status per tick and pulls the rows it shows.
 */
import { MAX_TAIL_ROWS, type HistoryFilterInput, type HistoryRow, type ToWebview } from '../../shared/protocol';
import { payloadPreview } from '../payload/preview';
import type { MessageHistory } from '../history';
import type { HistoryEntry, HistoryFilter, HistoryView } from './view';

/** Characters of payload preview a list row carries. */
const ROW_PREVIEW_CHARS = 120;
export const EMPTY_FILTER: HistoryFilterInput = { topicFilter: '', text: '', regex: false };

/** A status; it carries the newest rows (`tail`) for a list that follows the end (see {@link PanelFeed.follow}),
 * so such a list needs no `getRows` round trip per tick: one post per tick instead of two. */
export type FeedStatus = Extract<ToWebview, { type: 'status' }>;

/** The list row of an entry: no payload bytes, only a cut preview. */
export function toRow(entry: HistoryEntry): HistoryRow {
  return {
    id: entry.id,
    time: entry.receivedAt,
    direction: entry.direction,
    topic: entry.topic,
    qos: entry.qos,
    retain: entry.retain,
    dup: entry.dup,
    size: entry.payload.byteLength,
    preview: payloadPreview(entry.payload, ROW_PREVIEW_CHARS),
  };
}

/** The panel's filter as the history takes it: text and regex are exclusive, empty means not given. */
function historyFilter({ topicFilter, text, regex }: HistoryFilterInput): HistoryFilter {
  return { topicFilter: topicFilter || undefined, text: !regex && text ? text : undefined, regex: regex && text ? text : undefined };
}

/**
 * One panel's window on a history. `tick()` is called by the owner on a timer (10 per second) and posts the
 * status through `post` only when something in it changed.
 */
export class PanelFeed {
  private view: HistoryView;
  private currentFilter: HistoryFilterInput;
  private isPaused = false;
  /** While paused, the list keeps the count/offset it had (new messages are kept but not shown). */
  private frozen: { count: number; offset: number } | undefined;
  private lastStatus = '';
  /** Rows the webview shows when it follows the newest messages; 0 when it does not follow. */
  private followRows = 0;

  constructor(
    private readonly history: () => MessageHistory,
    private readonly connectionState: () => string,
    private readonly post: (status: FeedStatus) => void,
    filter: HistoryFilterInput = EMPTY_FILTER,
  ) {
    this.currentFilter = filter;
    this.view = history().query(historyFilter(filter));
  }

  get filter(): HistoryFilterInput {
    return this.currentFilter;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Applies a new filter (an invalid one shows its reason in the status and matches nothing). */
  setFilter(filter: HistoryFilterInput): void {
    this.currentFilter = filter;
    this.view = this.history().query(historyFilter(filter));
    this.frozen = this.isPaused ? this.snapshot() : undefined;
    this.tick();
  }

  setPaused(paused: boolean): void {
    this.isPaused = paused;
    this.frozen = paused ? this.snapshot() : undefined;
    this.tick();
  }

  /** Empties the history and shows the empty list. */
  clear(): void {
    this.history().clear();
    this.setFilter(this.currentFilter);
  }

  /** Rows `start .. start + count` by stable index (see the `status` message's `offset`). */
  rows(start: number, count: number): HistoryRow[] {
    const position = start - this.view.offset;
    return position < 0 ? [] : this.view.range(position, count).map(toRow);
  }

  /** Entries of the filtered view, oldest first (for "export filtered"). */
  entries(): Iterable<HistoryEntry> {
    return this.view.entries();
  }

  /**
   * The list follows the end and shows `rows` rows (0: it stopped following): every status then carries the
   * newest `rows` rows of the view, so the list needs not ask for them.
   */
  follow(rows: number): void {
    this.followRows = Math.max(0, Math.min(rows, MAX_TAIL_ROWS));
  }

  /** Forgets the last posted status, so the next tick posts it again (after the webview reloaded). */
  resend(): void {
    this.lastStatus = '';
    this.tick();
  }

  /** Posts the status if it changed since the last one. */
  tick(): void {
    const history = this.history();
    const shown = this.frozen ?? this.snapshot();
    const status: FeedStatus = {
      type: 'status',
      count: shown.count,
      offset: shown.offset,
      dropped: history.droppedCount,
      total: history.size,
      paused: this.isPaused,
      filterError: this.view.error,
      connectionState: this.connectionState(),
    };
    const json = JSON.stringify(status);
    if (json === this.lastStatus) return;
    this.lastStatus = json;
    if (this.followRows === 0 || shown.count === 0) return this.post(status);
    const start = shown.offset + Math.max(0, shown.count - this.followRows);
    this.post({ ...status, tail: { start, rows: this.rows(start, shown.offset + shown.count - start) } });
  }

  private snapshot(): { count: number; offset: number } {
    return { count: this.view.count, offset: this.view.offset };
  }
}
