/**
 * Connection health over the window's life, bounded: state changes with times and reasons, RTT samples,
 * reconnects, time connected (uptime %) and messages in/out per second in 10-second buckets. A day of
 * buckets fits in fixed rings, so memory does not grow with time or message rate.
 */
import { SampleRing } from './sampleRing';

/** One change of a connection's state. */
export interface StateChange {
  at: number;
  state: string;
  reason: string | undefined;
}

/** Rate buckets: 10 s each, a day of them. */
export const BUCKET_MS = 10_000;
export const BUCKETS_KEPT = 8640;
/** RTT samples kept (a ping every 30 s or more: over a day). */
export const RTT_SAMPLES_KEPT = 4096;
export const STATE_CHANGES_KEPT = 1000;

/** The health record of one connection. */
export class ConnectionHealth {
  readonly rtt = new SampleRing(RTT_SAMPLES_KEPT);
  readonly inPerSecond = new SampleRing(BUCKETS_KEPT);
  readonly outPerSecond = new SampleRing(BUCKETS_KEPT);
  private readonly changes: StateChange[] = [];
  reconnects = 0;
  private connectedMs = 0;
  private connectedSince: number | undefined;
  private bucketStart: number;
  private inCount = 0;
  private outCount = 0;

  constructor(readonly connection: string, readonly startedAt: number) {
    this.bucketStart = startedAt;
  }

  /** A state change; `connected` starts counting uptime, anything else stops it. */
  state(state: string, reason: string | undefined, now: number): void {
    const last = this.changes[this.changes.length - 1];
    if (last?.state === state && last.reason === reason) return;
    this.changes.push({ at: now, state, reason });
    if (this.changes.length > STATE_CHANGES_KEPT) this.changes.splice(0, this.changes.length - STATE_CHANGES_KEPT);
    if (state === 'reconnecting') this.reconnects++;
    if (state === 'connected') this.connectedSince ??= now;
    else if (this.connectedSince !== undefined) {
      this.connectedMs += now - this.connectedSince;
      this.connectedSince = undefined;
    }
  }

  rttSample(ms: number, now: number): void {
    this.rtt.push(now, ms);
  }

  messageIn(now: number): void {
    if (now - this.bucketStart >= BUCKET_MS) this.tick(now);
    this.inCount++;
  }

  messageOut(now: number): void {
    if (now - this.bucketStart >= BUCKET_MS) this.tick(now);
    this.outCount++;
  }

  /** Closes the rate buckets that ended before `now` (quiet buckets are recorded as 0). */
  tick(now: number): void {
    while (now - this.bucketStart >= BUCKET_MS) {
      const end = this.bucketStart + BUCKET_MS;
      this.inPerSecond.push(end, this.inCount / (BUCKET_MS / 1000));
      this.outPerSecond.push(end, this.outCount / (BUCKET_MS / 1000));
      this.inCount = 0;
      this.outCount = 0;
      this.bucketStart = end;
      // A long gap (the machine slept) fills at most one ring of zeros.
      if (now - this.bucketStart > BUCKET_MS * BUCKETS_KEPT) this.bucketStart = now - BUCKET_MS * BUCKETS_KEPT;
    }
  }

  stateChanges(): readonly StateChange[] {
    return this.changes;
  }

  /** Share of the time since the first state change that the connection was connected, 0..100. */
  uptimePercent(now: number): number | undefined {
    const first = this.changes[0];
    if (!first || now <= first.at) return undefined;
    const connected = this.connectedMs + (this.connectedSince !== undefined ? now - this.connectedSince : 0);
    return (connected / (now - first.at)) * 100;
  }

  /** Bytes of the fixed rings plus an estimate for the state changes (memory figures). */
  get approximateBytes(): number {
    return this.rtt.bytes + this.inPerSecond.bytes + this.outPerSecond.bytes + this.changes.length * 64;
  }
}
