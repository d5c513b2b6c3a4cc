/**
 * The report of a run: a JSON document (mergeable: latency histograms, totals, per-run environment) and its
 * Markdown rendering. Never holds a secret: the scenario names its broker by connection name.
 */
import type { FleetSnapshot, FleetTotals } from './metrics';
import type { RunResult, StopReason } from './fleetRunner';
import { LatencyHistogram, type Percentiles } from './stats';

/** Where a run ran. */
export interface RunEnvironment {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  hostname: string;
  indexOffset: number;
}

/** The JSON report of one run, or of several merged. */
export interface FleetReport {
  kind: 'mqtt-workbench-fleet-report';
  version: 1;
  name: string;
  /** The scenario as written. */
  scenario: unknown;
  runs: Array<{ environment: RunEnvironment; startedAt: string; endedAt: string; stoppedBy: StopReason }>;
  durationSeconds: number;
  clients: { target: number; connectedPeak: number; failedAtEnd: number };
  totals: FleetTotals;
  rates: { sentPerSecond: number; ackedPerSecond: number; receivedPerSecond: number; peakSentPerSecond: number };
  ack: Percentiles;
  endToEnd: Percentiles;
  histograms: { ack: Record<string, number>; endToEnd: Record<string, number> };
  errors: Array<{ reason: string; count: number }>;
  resources: { peakCpuPercent: number; peakRssMB: number };
  /** One point a second (at most an hour's worth, evenly thinned beyond). */
  timeline: Array<Pick<FleetSnapshot, 'elapsedSeconds' | 'sentPerSecond' | 'ackedPerSecond' | 'receivedPerSecond'> & { connected: number; ackP99?: number; endToEndP99?: number }>;
}

const MAX_TIMELINE = 3600;

/** Builds the report of a finished run. */
export function buildReport(name: string, scenario: unknown, result: RunResult, environment: RunEnvironment, timeline: readonly FleetSnapshot[]): FleetReport {
  const { metrics, last } = result;
  const seconds = Math.max(0.001, (result.endedAt.getTime() - result.startedAt.getTime()) / 1000);
  const step = Math.max(1, Math.ceil(timeline.length / MAX_TIMELINE));
  return {
    kind: 'mqtt-workbench-fleet-report',
    version: 1,
    name,
    scenario,
    runs: [{ environment, startedAt: result.startedAt.toISOString(), endedAt: result.endedAt.toISOString(), stoppedBy: result.stoppedBy }],
    durationSeconds: seconds,
    clients: { target: last.clients.target, connectedPeak: metrics.peaks.connected, failedAtEnd: last.clients.failed },
    totals: { ...last.totals },
    rates: { sentPerSecond: last.totals.sent / seconds, ackedPerSecond: last.totals.acked / seconds, receivedPerSecond: last.totals.received / seconds, peakSentPerSecond: metrics.peaks.sentPerSecond },
    ack: metrics.ackAll.percentiles(),
    endToEnd: metrics.endToEndAll.percentiles(),
    histograms: { ack: metrics.ackAll.toHistogram().toJson(), endToEnd: metrics.endToEndAll.toHistogram().toJson() },
    errors: metrics.errors(),
    resources: { peakCpuPercent: metrics.peaks.cpuPercent, peakRssMB: metrics.peaks.rssBytes / 1048576 },
    timeline: timeline
      .filter((_, i) => i % step === 0)
      .map((s) => ({ elapsedSeconds: s.elapsedSeconds, sentPerSecond: s.sentPerSecond, ackedPerSecond: s.ackedPerSecond, receivedPerSecond: s.receivedPerSecond, connected: s.clients.connected, ackP99: s.ack.p99, endToEndP99: s.endToEnd.p99 })),
  };
}

/** True when `value` looks like a fleet report (the merge refuses anything else). */
export function isFleetReport(value: unknown): value is FleetReport {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'mqtt-workbench-fleet-report' && (value as { version?: unknown }).version === 1;
}

/**
 * Merges the reports of runs that ran side by side (several machines, each its own --index-offset): counts and
 * rates add up, percentiles come from the merged histograms (within 1 %), the duration is the longest run's.
 */
export function mergeReports(reports: readonly FleetReport[]): FleetReport {
  const ack = new LatencyHistogram();
  const endToEnd = new LatencyHistogram();
  const errors = new Map<string, number>();
  const sum = <K extends string>(pick: (r: FleetReport) => Record<K, number>, key: K): number => reports.reduce((total, r) => total + pick(r)[key], 0);
  for (const report of reports) {
    ack.merge(LatencyHistogram.fromJson(report.histograms.ack));
    endToEnd.merge(LatencyHistogram.fromJson(report.histograms.endToEnd));
    for (const { reason, count } of report.errors) errors.set(reason, (errors.get(reason) ?? 0) + count);
  }
  const totals = Object.fromEntries((Object.keys(reports[0].totals) as Array<keyof FleetTotals>).map((key) => [key, sum((r) => r.totals, key)])) as unknown as FleetTotals;
  return {
    ...reports[0],
    runs: reports.flatMap((r) => r.runs),
    durationSeconds: Math.max(...reports.map((r) => r.durationSeconds)),
    clients: { target: sum((r) => r.clients, 'target'), connectedPeak: sum((r) => r.clients, 'connectedPeak'), failedAtEnd: sum((r) => r.clients, 'failedAtEnd') },
    totals,
    rates: { sentPerSecond: sum((r) => r.rates, 'sentPerSecond'), ackedPerSecond: sum((r) => r.rates, 'ackedPerSecond'), receivedPerSecond: sum((r) => r.rates, 'receivedPerSecond'), peakSentPerSecond: sum((r) => r.rates, 'peakSentPerSecond') },
    ack: ack.percentiles(),
    endToEnd: endToEnd.percentiles(),
    histograms: { ack: ack.toJson(), endToEnd: endToEnd.toJson() },
    errors: [...errors].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    resources: { peakCpuPercent: Math.max(...reports.map((r) => r.resources.peakCpuPercent)), peakRssMB: Math.max(...reports.map((r) => r.resources.peakRssMB)) },
    timeline: [],
  };
}
