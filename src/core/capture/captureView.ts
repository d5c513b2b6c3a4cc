/**
 * What the capture editor shows of a capture file, without loading it: rows of the (filtered) list read by range,
 * one message for the detail pane, and a summary for the timeline header (duration, count, rate over time, topics)
 * made in one background pass. A filter scans the file once and keeps only the matching line numbers (4 bytes each).
 */
import { compileHistoryFilter, type HistoryEntry } from '../history/view';
import { toRow } from '../history/panelFeed';
import type { CaptureInfo, HistoryFilterInput, HistoryRow } from '../../shared/protocol';
import type { CapturedMessage } from './format';
import type { CaptureFile } from './reader';

/** Bars of the rate-over-time chart. */
export const RATE_BUCKETS = 60;
/** Topics the summary names (the busiest). */
const TOP_TOPICS = 8;
/** Distinct topics counted before the rest are lumped together. */
const MAX_COUNTED_TOPICS = 100_000;

/** The timeline header's figures (see CaptureInfo in shared/protocol.ts for each field). */
export type CaptureSummary = Required<Pick<CaptureInfo, 'messages' | 'durationMs' | 'topicCount' | 'topics' | 'rate' | 'gaps' | 'problems'>> & Pick<CaptureInfo, 'firstProblem'>;

/** The filtered list of a capture: all lines, or the numbers of the matching lines. */
export class CaptureView {
  private matches: Uint32Array | undefined;
  private matchCount = 0;
  private generation = 0;
  private readonly startedAtMs: number;

  constructor(readonly file: CaptureFile) {
    const parsed = Date.parse(file.header.startedAt);
    this.startedAtMs = Number.isNaN(parsed) ? 0 : parsed;
  }

  /** Rows in the list now. */
  get count(): number {
    return this.matches ? this.matchCount : this.file.count;
  }

  /** The history entry of a line (id = line index; time = start + t). */
  entryOf(index: number, message: CapturedMessage): HistoryEntry {
    return { ...message, id: index, seq: index, receivedAt: this.startedAtMs + message.t / 1000 };
  }

  /**
   * Applies a filter; resolves with its error sentence, if any, once the scan is done (a newer filter ends an
   * older scan). `onProgress` sees the count grow.
   */
  async setFilter(filter: HistoryFilterInput, onProgress?: () => void): Promise<string | undefined> {
    const generation = ++this.generation;
    const compiled = compileHistoryFilter({ topicFilter: filter.topicFilter || undefined, text: !filter.regex && filter.text ? filter.text : undefined, regex: filter.regex && filter.text ? filter.text : undefined });
    if (compiled.error !== undefined || compiled.predicate === undefined) {
      this.matches = undefined;
      return compiled.error;
    }
    const predicate = compiled.predicate;
    let matches = new Uint32Array(1024);
    let count = 0;
    this.matches = matches;
    this.matchCount = 0;
    for await (const item of this.file.entries()) {
      if (generation !== this.generation) return undefined;
      if (!('entry' in item) || item.entry.kind !== 'message' || !predicate(this.entryOf(item.index, item.entry))) continue;
      if (count === matches.length) {
        const bigger = new Uint32Array(matches.length * 2);
        bigger.set(matches);
        matches = bigger;
        this.matches = matches;
      }
      matches[count++] = item.index;
      this.matchCount = count;
      if (count % 5000 === 0) onProgress?.();
    }
    return undefined;
  }

  /** List rows `[start, start + count)`; a damaged line shows as a row saying so, a gap as a row too. */
  async rows(start: number, count: number): Promise<HistoryRow[]> {
    const end = Math.min(this.count, start + count);
    const indices: number[] = [];
    for (let i = start; i < end; i++) indices.push(this.matches ? this.matches[i] : i);
    const items = this.matches ? (await Promise.all(indices.map((i) => this.file.read(i, 1)))).flat() : await this.file.read(start, end - start);
    return items.map((item): HistoryRow => {
      if ('entry' in item && item.entry.kind === 'message') return toRow(this.entryOf(item.index, item.entry));
      const note = 'problem' in item ? item.problem : item.entry.kind === 'gap' ? `(gap in the recording: ${item.entry.reason})` : '';
      const t = 'entry' in item ? item.entry.t : 0;
      return { id: item.index, time: this.startedAtMs + t / 1000, direction: 'in', topic: '', qos: 0, retain: false, dup: false, size: 0, preview: note };
    });
  }

  /** The message on line `index`, or an Error's sentence for a line that is not one. */
  async message(index: number): Promise<HistoryEntry> {
    const [item] = await this.file.read(index, 1);
    if (!item) throw new Error('That line is not in the capture.');
    if ('problem' in item) throw new Error(item.problem);
    if (item.entry.kind !== 'message') throw new Error(`Line ${item.line} marks a gap in the recording: ${item.entry.reason}`);
    return this.entryOf(index, item.entry);
  }

  /** One pass over the file for the timeline header. */
  async summarize(): Promise<CaptureSummary> {
    const topics = new Map<string, number>();
    const times: number[] = [];
    let gaps = 0;
    let problems = 0;
    let firstProblem: string | undefined;
    let other = 0;
    for await (const item of this.file.entries()) {
      if ('problem' in item) {
        problems++;
        firstProblem ??= item.problem;
        continue;
      }
      if (item.entry.kind === 'gap') {
        gaps++;
        continue;
      }
      times.push(item.entry.t);
      const known = topics.get(item.entry.topic);
      if (known !== undefined) topics.set(item.entry.topic, known + 1);
      else if (topics.size < MAX_COUNTED_TOPICS) topics.set(item.entry.topic, 1);
      else other++;
    }
    const first = times.length > 0 ? times[0] : 0;
    const last = times.length > 0 ? times[times.length - 1] : 0;
    const span = Math.max(1, last - first);
    const rate = new Array<number>(RATE_BUCKETS).fill(0);
    for (const t of times) rate[Math.min(RATE_BUCKETS - 1, Math.floor(((t - first) / span) * RATE_BUCKETS))]++;
    const busiest = [...topics.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_TOPICS);
    return {
      messages: times.length,
      durationMs: (last - first) / 1000,
      topicCount: topics.size + (other > 0 ? 1 : 0),
      topics: busiest.map(([topic, count]) => ({ topic, count })),
      rate,
      gaps,
      problems,
      firstProblem,
    };
  }
}
