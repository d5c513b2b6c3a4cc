/**
 * Replays timed messages with their recorded spacing, scaled by a speed. Every message is due at
 * `start + (t - first) / speed` on a monotonic clock read from the replay's start, never after a chain of sleeps,
 * so lateness does not add up: a slow publish makes the next ones late only until the schedule is caught up.
 * Publishes overlap (each one's promise is awaited with at most `maxOutstanding` under way), so flow control stays
 * with the session's publish path. Pause shifts the schedule by the paused time; loop starts the capture over.
 */
import { DriftHistogram } from './drift';

/** A monotonic clock in milliseconds, and a way to wait on it. Replaced by a virtual clock in tests. */
export interface ReplayClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real monotonic clock (performance.now, setTimeout). */
export const MONOTONIC_CLOCK: ReplayClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** Something with a time in microseconds since the capture's start. */
export interface Timed {
  t: number;
}

/** How a replay runs. */
export interface ScheduleOptions {
  /** 0.1 to 100 times the recorded pace, or 'max': as fast as publishes are accepted. */
  speed: number | 'max';
  /** Start over at the end, until cancelled. */
  loop?: boolean;
  /** Publishes under way at once (default 32). */
  maxOutstanding?: number;
}

/** What a replay did. */
export interface ReplaySummary {
  sent: number;
  failed: number;
  /** The first failure's sentence, if any. */
  firstError?: string;
  elapsedMs: number;
  /** Lateness of sends against their due time, in ms (null for 'max', where nothing is due). */
  driftP50Ms: number | null;
  driftP99Ms: number | null;
  cancelled: boolean;
}

/** Progress of a running replay. */
export interface ReplayProgress {
  sent: number;
  failed: number;
  /** `t` of the last message sent, in microseconds. */
  t: number;
  loops: number;
}

/** Runs one replay; `pause`, `resume` and `cancel` may be called while `run` is under way. */
export class ReplayScheduler {
  private pausedAt: number | undefined;
  private pausedTotal = 0;
  private resumeWaiters: Array<() => void> = [];
  private cancelled = false;
  private readonly drift = new DriftHistogram();

  constructor(
    private readonly clock: ReplayClock,
    private readonly options: ScheduleOptions,
  ) {}

  /** Whether the replay is paused now. */
  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  pause(): void {
    if (this.pausedAt === undefined && !this.cancelled) this.pausedAt = this.clock.now();
  }

  resume(): void {
    if (this.pausedAt === undefined) return;
    this.pausedTotal += this.clock.now() - this.pausedAt;
    this.pausedAt = undefined;
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /** Stops after the publishes under way; `run` then resolves with `cancelled: true`. */
  cancel(): void {
    this.cancelled = true;
    this.resume();
  }

  /**
   * Sends every item of `source()` (called again for each loop) at its due time; `send` rejects for a failed one.
   * Resolves when all are sent and answered, or after a cancel.
   */
  async run<T extends Timed>(source: () => AsyncIterable<T>, send: (item: T) => Promise<unknown>, onProgress?: (progress: ReplayProgress) => void): Promise<ReplaySummary> {
    const speed = this.options.speed;
    const maxOutstanding = Math.max(1, this.options.maxOutstanding ?? 32);
    const outstanding = new Set<Promise<void>>();
    const started = this.clock.now();
    const progress: ReplayProgress = { sent: 0, failed: 0, t: 0, loops: 0 };
    let firstError: string | undefined;
    /** Due time (ms on the clock, before pauses) of t = first of the current loop. */
    let loopStart = started;
    let lastDue = started;
    const settle = (item: T) => (result: Promise<unknown>): Promise<void> =>
      result.then(
        () => undefined,
        (error: unknown) => {
          progress.failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        },
      ).finally(() => {
        progress.t = Math.max(progress.t, item.t);
        onProgress?.(progress);
      });
    do {
      let first: number | undefined;
      let last = 0;
      let inLoop = 0;
      for await (const item of source()) {
        if (this.cancelled) break;
        first ??= item.t;
        last = item.t;
        inLoop++;
        await this.waitWhilePaused();
        if (this.cancelled) break;
        if (speed !== 'max') {
          const due = loopStart + (item.t - first) / 1000 / speed;
          lastDue = due;
          const wait = due + this.pausedTotal - this.clock.now();
          if (wait > 0) await this.clock.sleep(wait);
          await this.waitWhilePaused();
          if (this.cancelled) break;
          this.drift.add(this.clock.now() - (due + this.pausedTotal));
        }
        while (outstanding.size >= maxOutstanding) await Promise.race(outstanding);
        progress.sent++;
        const pending = settle(item)(Promise.resolve().then(() => send(item)));
        outstanding.add(pending);
        void pending.then(() => outstanding.delete(pending));
      }
      progress.loops++;
      // The next loop begins one average spacing after the last message, so the seam keeps the pace.
      const span = first === undefined ? 0 : last - first;
      const spacing = inLoop > 1 ? span / (inLoop - 1) : 0;
      loopStart = lastDue + spacing / 1000 / (speed === 'max' ? 1 : speed);
      if (first === undefined) break;
    } while (this.options.loop && !this.cancelled);
    await Promise.all(outstanding);
    return {
      sent: progress.sent,
      failed: progress.failed,
      firstError,
      elapsedMs: this.clock.now() - started,
      driftP50Ms: speed === 'max' ? null : this.drift.quantile(0.5),
      driftP99Ms: speed === 'max' ? null : this.drift.quantile(0.99),
      cancelled: this.cancelled,
    };
  }

  private async waitWhilePaused(): Promise<void> {
    while (this.pausedAt !== undefined) await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
  }
}
