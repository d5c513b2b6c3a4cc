/**
 * When each client sends its next message: a binary min-heap of due times, driven by whatever clock the caller
 * passes in (the simulator's monotonic clock, or a virtual clock in tests). Jitter moves a send around its ideal
 * time without drifting the average rate. A client that falls more than one interval (and at least STALL_MS)
 * behind, on an overloaded machine, does not catch up in bursts: it resumes at its next future slot and the
 * sends it missed are counted as skipped.
 */

/** Lateness below this is caught up (a high per-client rate sends several times per tick; a loaded machine pauses a process for a while); above it, skipped. */
const STALL_MS = 1000;

interface Entry {
  key: number;
  /** The ideal time of the next send (no jitter). */
  base: number;
  due: number;
  intervalMs: number;
  jitter: number;
  random: () => number;
}

/** A schedule of periodic sends, keyed by the caller's slot numbers. */
export class RateScheduler {
  private readonly heap: Entry[] = [];
  private skippedSends = 0;

  /** Sends not made because their client was more than one interval behind. */
  get skipped(): number {
    return this.skippedSends;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `key` every `intervalMs`, the first send at `firstDue`; `jitter` 0..1 of the interval. */
  add(key: number, firstDue: number, intervalMs: number, jitter: number, random: () => number): void {
    const entry: Entry = { key, base: firstDue, due: firstDue, intervalMs, jitter, random };
    entry.due = this.jittered(entry);
    this.heap.push(entry);
    this.up(this.heap.length - 1);
  }

  /** The time of the earliest send, or undefined when nothing is scheduled. */
  nextDue(): number | undefined {
    return this.heap[0]?.due;
  }

  /**
   * Calls `visit` for every send due at or before `now`, earliest first, and schedules each one's next send.
   * `visit` returns false to unschedule that key (its stream is done). Returns the number of sends visited.
   */
  takeDue(now: number, visit: (key: number, due: number) => boolean): number {
    let visited = 0;
    while (this.heap.length > 0 && this.heap[0].due <= now) {
      const entry = this.heap[0];
      visited++;
      if (!visit(entry.key, entry.due)) {
        this.removeTop();
        continue;
      }
      entry.base += entry.intervalMs;
      if (entry.base <= now - Math.max(entry.intervalMs, STALL_MS)) {
        const behind = Math.floor((now - entry.base) / entry.intervalMs) + 1;
        this.skippedSends += behind;
        entry.base += behind * entry.intervalMs;
      }
      entry.due = this.jittered(entry);
      this.down(0);
    }
    return visited;
  }

  /** Unschedules everything. */
  clear(): void {
    this.heap.length = 0;
  }

  private jittered(entry: Entry): number {
    return entry.jitter === 0 ? entry.base : entry.base + entry.jitter * entry.intervalMs * (entry.random() * 2 - 1);
  }

  private removeTop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private up(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent].due <= heap[index].due) return;
      [heap[parent], heap[index]] = [heap[index], heap[parent]];
      index = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left].due < heap[smallest].due) smallest = left;
      if (right < heap.length && heap[right].due < heap[smallest].due) smallest = right;
      if (smallest === index) return;
      [heap[smallest], heap[index]] = [heap[index], heap[smallest]];
      index = smallest;
    }
  }
}
