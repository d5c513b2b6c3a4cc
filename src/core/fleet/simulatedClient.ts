/**
 * One simulated device: an MQTT.js client with the scenario's client id, session and will, that counts its
 * state changes and errors into the run's metrics, answers requests by the respond rules, and, for measuring
 * subscribers, times the stamped messages it receives.
 */
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { describeNetworkError } from '../networkErrors';
import { describeConnackCode, describeReasonCode, isPermanentConnackRefusal } from '../reasonCodes';
import { topicMatchesFilter } from '../topics';
import type { ProtoRegistry } from '../payload';
import { encodeValue, renderForClient, replyFor } from './messages';
import type { FleetMetrics } from './metrics';
import type { Scenario } from './scenario';
import { renderValue } from './template';

/** The MQTT 5 user property that carries the send time (epoch ms with microseconds) of a stamped message. */
export const SENT_AT_PROPERTY = 'sim-sent-at';

/** Epoch milliseconds with sub-millisecond precision. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

type ClientState = 'connecting' | 'connected' | 'failed' | 'closed';

/** What a simulated client needs from the run. */
export interface ClientContext {
  scenario: Scenario;
  baseOptions: IClientOptions;
  metrics: FleetMetrics;
  proto?: ProtoRegistry;
  /** Called when the client (re)connects, so its streams start. */
  onConnected(client: SimulatedClient): void;
}

/** One simulated device (or a measuring subscriber, with `subscribeTo`). */
export class SimulatedClient {
  readonly client: MqttClient;
  private state: ClientState = 'connecting';
  private readonly filters: string[];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly index: number,
    readonly clientId: string,
    private readonly context: ClientContext,
    private readonly subscribeTo?: { filter: string; qos: 0 | 1 | 2 },
  ) {
    const { scenario, baseOptions, metrics } = context;
    const v5 = baseOptions.protocolVersion === 5;
    this.filters = subscribeTo ? [] : scenario.respond.map((rule) => renderForClient(rule.filter.template, index, clientId));
    const options: IClientOptions = { ...baseOptions, clientId, clean: scenario.clean, reconnectPeriod: 1000 };
    if (scenario.keepalive !== undefined) options.keepalive = scenario.keepalive;
    if (v5) options.properties = { ...baseOptions.properties, sessionExpiryInterval: scenario.sessionExpiryInterval ?? baseOptions.properties?.sessionExpiryInterval };
    const will = scenario.will;
    if (will && !subscribeTo) {
      const value = renderValue(will.payload, (name) => (name === 'index' ? index : name === 'clientId' ? clientId : undefined));
      options.will = { topic: renderForClient(will.topic.template, index, clientId), payload: Buffer.from(encodeValue(value, typeof value === 'string' ? 'text' : 'json', undefined, undefined)), qos: will.qos, retain: will.retain };
    } else {
      delete options.will;
    }
    if (!subscribeTo) metrics.clients.connecting++;
    this.client = connect(options);
    this.client.on('connect', () => this.onConnect());
    this.client.on('close', () => this.onClose());
    this.client.on('reconnect', () => {
      metrics.totals.reconnects++;
      this.setState('connecting');
    });
    this.client.on('error', (error) => this.onError(error));
    this.client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet));
    if (baseOptions.manualConnect) this.client.connect();
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** Disconnects (DISCONNECT, so no will) within `timeoutMs`, then forces the socket closed. */
  async stop(timeoutMs = 3000): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const ended = new Promise<void>((resolve) => this.client.end(false, {}, () => resolve()));
    const timer = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([ended, timer]);
    this.client.end(true);
    this.setState('closed');
  }

  private setState(next: ClientState): void {
    if (this.state === next || this.state === 'closed') return;
    if (this.subscribeTo) {
      // A measuring subscriber is not one of the simulated devices: it is not counted with them.
      this.state = next;
      return;
    }
    const clients = this.context.metrics.clients;
    if (this.state === 'connected') clients.connected--;
    else if (this.state === 'connecting') clients.connecting--;
    else if (this.state === 'failed') clients.failed--;
    if (next === 'connected') clients.connected++;
    else if (next === 'connecting') clients.connecting++;
    else if (next === 'failed') clients.failed++;
    this.state = next;
  }

  private onConnect(): void {
    this.setState('connected');
    const subscriptions = this.subscribeTo ? [this.subscribeTo] : this.context.scenario.respond.map((rule, i) => ({ filter: this.filters[i], qos: rule.qos }));
    for (const { filter, qos } of subscriptions) {
      this.client.subscribe(filter, { qos }, (error, granted) => {
        const code = granted?.[0]?.qos;
        if (error) this.context.metrics.error(`Subscribe to ${filter} failed: ${error.message}`);
        else if (code !== undefined && code >= 0x80) this.context.metrics.error(`Subscribe to ${filter} refused: ${describeReasonCode(code)}`);
      });
    }
    if (!this.subscribeTo) this.context.onConnected(this);
  }

  private onClose(): void {
    if (this.state === 'connected') this.setState('connecting');
  }

  private onError(error: Error & { code?: unknown }): void {
    const version = (this.context.baseOptions.protocolVersion ?? 4) as 3 | 4 | 5;
    const metrics = this.context.metrics;
    if (typeof error.code === 'number') {
      metrics.error(`The broker refused the connection: ${describeConnackCode(error.code, version)}`);
      if (isPermanentConnackRefusal(error.code, version)) {
        this.setState('failed');
        this.client.end(true);
      }
      return;
    }
    const { hostname, host, port } = this.context.baseOptions;
    metrics.error(describeNetworkError(error, { host: hostname ?? host ?? 'localhost', port: port ?? 1883 }));
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const metrics = this.context.metrics;
    metrics.totals.received++;
    metrics.totals.bytesIn += payload.length + topic.length;
    if (this.subscribeTo) {
      const stamp = packet.properties?.userProperties?.[SENT_AT_PROPERTY];
      const sentAt = Number(Array.isArray(stamp) ? stamp[0] : stamp);
      if (Number.isFinite(sentAt) && sentAt > 0) metrics.endToEndLatency(preciseNow() - sentAt);
      return;
    }
    const rules = this.context.scenario.respond;
    rules.forEach((rule, i) => {
      if (!topicMatchesFilter(this.filters[i], topic)) return;
      const responseTopic = packet.properties?.responseTopic;
      const send = (): void => this.reply(i, topic, payload, responseTopic, packet.properties?.correlationData);
      if (rule.delayMs === 0) return send();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        send();
      }, rule.delayMs);
      this.timers.add(timer);
    });
  }

  private reply(ruleIndex: number, topic: string, payload: Buffer, responseTopic: string | undefined, correlationData: Buffer | undefined): void {
    const rule = this.context.scenario.respond[ruleIndex];
    const metrics = this.context.metrics;
    let reply: { topic?: string; payload: Uint8Array };
    try {
      reply = replyFor(rule, { topic, payload }, this.index, this.clientId, Date.now(), this.context.proto);
    } catch (error) {
      metrics.error(`Reply to ${topic} could not be encoded: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const target = reply.topic ?? responseTopic;
    if (!target) {
      metrics.error(`A request on ${rule.filter.source} had no response topic and the rule sets no topic; it was not answered.`);
      return;
    }
    const properties = correlationData ? { correlationData } : undefined;
    this.client.publish(target, Buffer.from(reply.payload), { qos: rule.qos, properties }, (error) => {
      if (error) metrics.error(`Reply failed: ${error.message}`);
    });
    metrics.totals.requestsAnswered++;
    metrics.totals.sent++;
    metrics.totals.bytesOut += reply.payload.length + target.length;
  }
}
