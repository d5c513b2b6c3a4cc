/**
 * Runs a scenario: starts the clients at the connect rate, drives every publish stream from one RateScheduler
 * on the monotonic clock, stamps messages for end-to-end latency, reports a snapshot each second, and stops at
 * the end of the duration or message count (or when told), disconnecting every client.
 */
import type { IClientOptions } from 'mqtt';
import type { ProtoRegistry } from '../payload';
import { renderForClient, StreamMessages } from './messages';
import { FleetMetrics, type FleetSnapshot } from './metrics';
import { RateScheduler } from './scheduler';
import type { Scenario } from './scenario';
import { preciseNow, SENT_AT_PROPERTY, SimulatedClient } from './simulatedClient';

/** Why a run ended. */
export type StopReason = 'duration' | 'messages' | 'stopped';

/** Options of a run. */
export interface RunOptions {
  scenario: Scenario;
  /** MQTT.js options built from the connection profile (secrets and TLS bytes included); the client id is set per client. */
  baseOptions: IClientOptions;
  /** The first client index (several machines running one scenario each take their own range). */
  indexOffset?: number;
  proto?: ProtoRegistry;
  onSnapshot?(snapshot: FleetSnapshot): void;
}

/** The end of a run. */
export interface RunResult {
  stoppedBy: StopReason;
  startedAt: Date;
  endedAt: Date;
  metrics: FleetMetrics;
  last: FleetSnapshot;
}

const TICK_MS = 5;
/** After the last message, acknowledgements and end-to-end messages still arriving are waited for this long at most. */
const SETTLE_MS = 2000;

interface Slot {
  client: SimulatedClient;
  stream: StreamMessages;
  qos: 0 | 1 | 2;
  retain: boolean;
  limit: number;
}

/** One run of a scenario. `done` resolves when it has ended and every client is closed. */
export class FleetRun {
  readonly done: Promise<RunResult>;
  private readonly scheduler = new RateScheduler();
  private readonly slots: Slot[] = [];
  private readonly clients: SimulatedClient[] = [];
  private readonly monitors: SimulatedClient[] = [];
  private readonly metrics: FleetMetrics;
  private readonly start = performance.now();
  private readonly startedAt = new Date();
  private readonly v5: boolean;
  private nextClient = 0;
  private lastClientStartedAt: number | undefined;
  private finishedSlots = 0;
  private stopRequested: StopReason | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private last: FleetSnapshot;
  private resolveDone: (result: RunResult) => void = () => undefined;

  constructor(private readonly options: RunOptions) {
    this.metrics = new FleetMetrics(this.start);
    this.metrics.clients.target = options.scenario.clients;
    this.v5 = options.baseOptions.protocolVersion === 5;
    this.last = this.metrics.snapshot(this.start);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    options.scenario.subscribe.forEach((spec, i) => {
      const id = `${renderForClient(options.scenario.clientId.template, options.indexOffset ?? 0, '')}-monitor-${i}`;
      this.monitors.push(new SimulatedClient(-1 - i, id, this.clientContext(), spec));
    });
    this.snapshotTimer = setInterval(() => this.report(), 1000);
    this.tick();
  }

  /** Ends the run now (the report says it was stopped). */
  stop(): void {
    this.stopRequested ??= 'stopped';
  }

  private clientContext(): ConstructorParameters<typeof SimulatedClient>[2] {
    const { scenario, baseOptions, proto } = this.options;
    return { scenario, baseOptions, metrics: this.metrics, proto, onConnected: (client) => this.startStreams(client) };
  }

  private report(): void {
    this.last = this.metrics.snapshot(performance.now());
    this.last.totals.skipped = this.scheduler.skipped;
    this.options.onSnapshot?.(this.last);
  }

  private startStreams(client: SimulatedClient): void {
    if (this.slots.some((slot) => slot.client === client)) return;
    const { scenario, proto } = this.options;
    const perClient = (intervalMs: number): number => scenario.messagesPerClient ?? (scenario.durationSeconds ? Math.max(1, Math.round((scenario.durationSeconds * 1000) / intervalMs)) : Infinity);
    scenario.publish.forEach((spec, streamIndex) => {
      const stream = new StreamMessages(spec, client.index, client.clientId, scenario.seed, streamIndex, proto);
      const key = this.slots.push({ client, stream, qos: spec.qos, retain: spec.retain, limit: perClient(spec.intervalMs) }) - 1;
      // The first send of each client falls at a random point of its first interval, so clients do not send in step.
      const rng = stream.rng;
      this.scheduler.add(key, performance.now() + rng.next() * spec.intervalMs, spec.intervalMs, spec.jitter, () => rng.next());
    });
  }

  private tick(): void {
    const now = performance.now();
    const { scenario } = this.options;
    const interval = 1000 / scenario.connectRate;
    while (this.nextClient < scenario.clients && this.start + this.nextClient * interval <= now && !this.stopRequested) {
      const index = (this.options.indexOffset ?? 0) + this.nextClient++;
      this.clients.push(new SimulatedClient(index, renderForClient(scenario.clientId.template, index, ''), this.clientContext()));
      if (this.nextClient === scenario.clients) this.lastClientStartedAt = now;
    }
    this.scheduler.takeDue(now, (key) => this.send(key));
    const reason = this.stopRequested ?? this.endReason(now);
    if (reason) {
      void this.finish(reason);
      return;
    }
    const next = Math.min(this.scheduler.nextDue() ?? Infinity, this.start + this.nextClient * interval);
    this.tickTimer = setTimeout(() => this.tick(), Math.max(0, Math.min(TICK_MS, next - performance.now())));
  }

  private endReason(now: number): StopReason | undefined {
    const { scenario } = this.options;
    if (this.lastClientStartedAt === undefined) return undefined;
    const allStreams = scenario.clients * scenario.publish.length;
    if (scenario.publish.length > 0 && this.finishedSlots >= allStreams) return scenario.messagesPerClient ? 'messages' : 'duration';
    // Each stream sends rate x duration messages; one that cannot finish (a client that never connected, or one
    // slowed down by an overloaded machine) is cut off after half the duration again (at least 5 s) more.
    const grace = scenario.publish.length > 0 ? Math.max(5000, scenario.durationSeconds ? scenario.durationSeconds * 500 : 0) : 0;
    if (scenario.durationSeconds !== undefined && now - this.lastClientStartedAt > scenario.durationSeconds * 1000 + grace) return 'duration';
    return undefined;
  }

  private send(key: number): boolean {
    const slot = this.slots[key];
    if (!slot.client.connected) return true;
    const nowMs = Date.now();
    let message: ReturnType<StreamMessages['next']>;
    try {
      message = slot.stream.next(nowMs, (performance.now() - this.start) / 1000);
    } catch (error) {
      this.metrics.error(`A payload could not be encoded: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    const sentAt = preciseNow();
    const properties = this.v5 ? { userProperties: { [SENT_AT_PROPERTY]: sentAt.toFixed(3) } } : undefined;
    const payload = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength);
    const metrics = this.metrics;
    metrics.totals.sent++;
    metrics.totals.bytesOut += payload.length + message.topic.length;
    if (slot.qos === 0) {
      slot.client.client.publish(message.topic, payload, { qos: 0, retain: slot.retain, properties });
    } else {
      slot.client.client.publish(message.topic, payload, { qos: slot.qos, retain: slot.retain, properties }, (error) => {
        if (error) metrics.error(`Publish failed: ${error.message}`);
        else metrics.ackLatency(preciseNow() - sentAt);
      });
    }
    if (slot.stream.count >= slot.limit) {
      this.finishedSlots++;
      return false;
    }
    return true;
  }

  private async finish(reason: StopReason): Promise<void> {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.scheduler.clear();
    await this.settle();
    this.report();
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    const last = this.last;
    await Promise.all([...this.clients, ...this.monitors].map((client) => client.stop()));
    this.resolveDone({ stoppedBy: reason, startedAt: this.startedAt, endedAt: new Date(), metrics: this.metrics, last });
  }

  /** Waits (bounded) for outstanding acknowledgements and, with measuring subscribers, for the last messages. */
  private async settle(): Promise<void> {
    const deadline = performance.now() + SETTLE_MS;
    const expectsAcks = this.options.scenario.publish.some((stream) => stream.qos > 0);
    let received = -1;
    while (performance.now() < deadline) {
      const acksDone = !expectsAcks || this.clients.every((client) => !client.connected || Object.keys(client.client.outgoing).length === 0);
      const quiet = this.monitors.length === 0 || this.metrics.totals.received === received;
      if (acksDone && quiet) return;
      received = this.metrics.totals.received;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
