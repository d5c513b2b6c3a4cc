/**
 * One second of a fleet run, as the simulator reports it and the dashboard shows it. Shared by the simulator
 * (core), the extension host and the dashboard webview: plain data, no imports.
 */

/** p50/p95/p99/max in milliseconds over `count` samples (all undefined when there were none). */
export interface Percentiles {
  count: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

/** One second of a run, as the dashboard and the console show it. */
export interface FleetSnapshot {
  /** Seconds since the run started. */
  elapsedSeconds: number;
  clients: { target: number; connected: number; connecting: number; failed: number };
  sentPerSecond: number;
  ackedPerSecond: number;
  receivedPerSecond: number;
  bytesOutPerSecond: number;
  bytesInPerSecond: number;
  /** PUBACK/PUBCOMP latency over the last second (QoS 1 and 2 streams). */
  ack: Percentiles;
  /** Publish-to-receive latency over the last second (measuring subscribers). */
  endToEnd: Percentiles;
  totals: FleetTotals;
  /** Errors so far by reason, most frequent first. */
  errors: Array<{ reason: string; count: number }>;
  /** CPU of the simulator process over the last second, in % of one core. */
  cpuPercent: number;
  /** Resident memory of the simulator process. */
  rssBytes: number;
}

/** Counters since the start of the run. */
export interface FleetTotals {
  sent: number;
  acked: number;
  received: number;
  requestsAnswered: number;
  reconnects: number;
  /** Sends missed because the machine could not keep up (see RateScheduler). */
  skipped: number;
  bytesOut: number;
  bytesIn: number;
}

