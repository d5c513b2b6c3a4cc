/**
 * What a fleet run counts: client states, messages sent/acknowledged/received, bytes, errors by reason,
 * latencies. `FleetMetrics.snapshot()` is called once a second and turns the counters into rates; nothing
 * per message leaves the simulator process.
 */
import type { FleetSnapshot, FleetTotals } from '../../shared/fleetSnapshot';
import { LatencySamples } from './stats';

export type { FleetSnapshot, FleetTotals } from '../../shared/fleetSnapshot';

/** The counters of one run. */
export class FleetMetrics {
  readonly totals: FleetTotals = { sent: 0, acked: 0, received: 0, requestsAnswered: 0, reconnects: 0, skipped: 0, bytesOut: 0, bytesIn: 0 };
  readonly clients = { target: 0, connected: 0, connecting: 0, failed: 0 };
  /** Every latency of the run, for the report. */
  readonly ackAll = new LatencySamples();
  readonly endToEndAll = new LatencySamples();
  private readonly ackWindow = new LatencySamples(200_000);
  private readonly endToEndWindow = new LatencySamples(200_000);
  private readonly errorCounts = new Map<string, number>();
  private last = { at: 0, totals: { ...this.totals }, cpu: process.cpuUsage() };
  /** Peaks over the run, for the report. */
  readonly peaks = { connected: 0, cpuPercent: 0, rssBytes: 0, sentPerSecond: 0 };

  constructor(private readonly startedAt: number) {
    this.last.at = startedAt;
  }

  /** Counts one error; `reason` is a sentence such as "The broker refused the connection: Not authorized (0x87)". */
  error(reason: string): void {
    this.errorCounts.set(reason, (this.errorCounts.get(reason) ?? 0) + 1);
  }

  ackLatency(ms: number): void {
    this.totals.acked++;
    this.ackAll.add(ms);
    this.ackWindow.add(ms);
  }

  endToEndLatency(ms: number): void {
    this.endToEndAll.add(ms);
    this.endToEndWindow.add(ms);
  }

  /** Errors by reason, most frequent first. */
  errors(): Array<{ reason: string; count: number }> {
    return [...this.errorCounts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }

  /** The second since the previous snapshot, as rates; starts a new window. */
  snapshot(now: number): FleetSnapshot {
    const seconds = Math.max(0.001, (now - this.last.at) / 1000);
    const rate = (key: keyof FleetTotals): number => (this.totals[key] - this.last.totals[key]) / seconds;
    const cpu = process.cpuUsage(this.last.cpu);
    const rssBytes = process.memoryUsage.rss();
    const snapshot: FleetSnapshot = {
      elapsedSeconds: (now - this.startedAt) / 1000,
      clients: { ...this.clients },
      sentPerSecond: rate('sent'),
      ackedPerSecond: rate('acked'),
      receivedPerSecond: rate('received'),
      bytesOutPerSecond: rate('bytesOut'),
      bytesInPerSecond: rate('bytesIn'),
      ack: this.ackWindow.percentiles(),
      endToEnd: this.endToEndWindow.percentiles(),
      totals: { ...this.totals },
      errors: this.errors(),
      cpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
      rssBytes,
    };
    this.ackWindow.reset();
    this.endToEndWindow.reset();
    this.last = { at: now, totals: { ...this.totals }, cpu: process.cpuUsage() };
    this.peaks.connected = Math.max(this.peaks.connected, this.clients.connected);
    this.peaks.cpuPercent = Math.max(this.peaks.cpuPercent, snapshot.cpuPercent);
    this.peaks.rssBytes = Math.max(this.peaks.rssBytes, rssBytes);
    this.peaks.sentPerSecond = Math.max(this.peaks.sentPerSecond, snapshot.sentPerSecond);
    return snapshot;
  }
}
