import * as mqtt from 'mqtt';
import type { IClientPublishOptions, IConnackPacket, IDisconnectPacket, IPublishPacket, MqttClient, Packet } from 'mqtt';
import { ackBatcher } from './ackBatcher';
import { arrivalClock } from './arrivalClock';
import { backoffDelay } from './backoff';
import { buildClientOptions, protocolVersionNumber, type ConnectInputs } from './clientOptions';
import { Emitter } from './emitter';
import { ConnectionStability } from './connectionStability';
import { closedAfterConnectMessage, describeNetworkError, takenOverMessage } from './networkErrors';
import { checkTlsMaterial, isFatalNetworkError } from './connectFailures';
import { packetTooLarge } from './packetSize';
import type { ConnectionProfile } from './profile';
import { describeConnackCode, describeReasonCode, isPermanentConnackRefusal } from './reasonCodes';
import { SubscriptionBook, type SubscriptionRequest, type SubscriptionStatus } from './subscriptions';
import { fromPacketProperties, toPacketProperties } from './packetProperties';
import { validateTopicName } from './topics';
import { isConnectionLoss, PublishAcks, publishResult } from './publishAcks';
import { InflightWindow } from './publish/inflightWindow';
import { serverLimitProblem, serverLimitsOf, type ServerLimits } from './publish/serverLimits';
import type { MqttMessage, PublishProperties, QoS } from '../shared/mqttMessage';

/** Where a session is. `reconnecting` carries when the next attempt starts; `failed` will not retry by itself. */
export type SessionState =
  | { kind: 'disconnected' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; since: number; sessionPresent: boolean; maximumPacketSize?: number }
  | { kind: 'reconnecting'; attempt: number; delayMs: number; nextAttemptAt: number; lastError?: string }
  | { kind: 'failed'; error: string };

/** An error whose message is meant for the user as is. */
export class SessionError extends Error {
  constructor(
    message: string,
    readonly reasonCode?: number,
    /** The message never reached a broker decision (not connected, connection closed): sending it again later is right. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/** Options of one publish. */
export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  properties?: PublishProperties;
}

/** What the broker said about one publish. */
export interface PublishResult {
  qos: QoS;
  /** Milliseconds from sending to the final acknowledgement (PUBACK/PUBCOMP), or to the write for QoS 0. */
  elapsedMs: number;
  reasonCode?: number;
  /** "Sent", "Acknowledged in 3 ms", "Completed in 5 ms (No matching subscribers (0x10))". */
  summary: string;
}

/** Clock and randomness, replaceable in tests. */
export interface SessionEnvironment {
  now(): number;
  random(): number;
}

const REAL_ENVIRONMENT: SessionEnvironment = { now: () => Date.now(), random: Math.random };
const SESSION_TAKEN_OVER = 0x8e;

/**
 * One broker connection: wraps an MQTT.js client, exposes a state machine and typed events, retries with
 * exponential backoff, resubscribes after a reconnect, and reports every failure as a sentence.
 */
export class Session {
  private readonly stateEmitter = new Emitter<SessionState>();
  private readonly messageEmitter = new Emitter<MqttMessage>();
  private readonly rttEmitter = new Emitter<number>();
  private readonly sentEmitter = new Emitter<MqttMessage>();
  /** Fires whenever the state changes. */
  readonly onState = this.stateEmitter.event;
  /** Fires for every received PUBLISH. */
  readonly onMessage = this.messageEmitter.event;
  /** Fires with a new round-trip time (CONNECT->CONNACK, then PINGREQ->PINGRESP). */
  readonly onRtt = this.rttEmitter.event;
  /** Fires for every message this session published, once the broker accepted it (direction 'out'). */
  readonly onSent = this.sentEmitter.event;
  /** The subscriptions this session keeps, with their SUBACK results. */
  readonly subscriptions: SubscriptionBook;

  private client: MqttClient | undefined;
  private current: SessionState = { kind: 'disconnected' };
  private wanted = false;
  /** Number of the next reconnect attempt since the last stable connection (drives the backoff). */
  private retry = 1;
  /** Resets `retry` once a connection proves stable (not at every CONNACK: two clients with one id would fight). */
  private readonly stability = new ConnectionStability(() => this.env.now());
  private readonly arrivedAt = arrivalClock(() => this.env.now());
  /** The acks MQTT.js writes for one turn's packets leave in one write (see ackBatcher.ts). */
  private readonly batchAcks = ackBatcher();
  private fatalError: string | undefined;
  private fatalCode: number | undefined;
  private lastError: string | undefined;
  private seq = 0;
  private pingSentAt: number | undefined;
  private connectSentAt: number | undefined;
  private lastRtt: number | undefined;
  private firstConnect: { resolve(): void; reject(error: Error): void } | undefined;
  private readonly acks = new PublishAcks();
  /** QoS 1/2 publishes awaiting their acknowledgement, at most the broker's Receive Maximum. */
  private readonly window = new InflightWindow();
  /** What the last CONNACK allows this client to publish (MQTT 5). */
  private serverLimits: ServerLimits = {};
  /** Every reconnect delay used, in order (for diagnostics and tests). */
  readonly reconnectDelays: number[] = [];

  constructor(
    readonly profile: ConnectionProfile,
    private readonly inputs: ConnectInputs,
    private readonly env: SessionEnvironment = REAL_ENVIRONMENT,
  ) {
    this.subscriptions = new SubscriptionBook(profile.subscriptions);
  }

  get state(): SessionState {
    return this.current;
  }

  /** The latest measured round-trip time in ms, if any. */
  get rttMs(): number | undefined {
    return this.lastRtt;
  }

  get clientId(): string {
    return this.inputs.clientId;
  }

  /** Connects; resolves on the first CONNACK success, rejects with a SessionError on the first failure (retries go on unless fatal). */
  connect(): Promise<void> {
    if (this.client && this.wanted) {
      return this.current.kind === 'connected' ? Promise.resolve() : Promise.reject(new SessionError(`${this.profile.name} is already ${this.current.kind}.`));
    }
    this.wanted = true;
    this.fatalError = undefined;
    this.fatalCode = undefined;
    this.retry = 1;
    const tlsProblem = checkTlsMaterial(this.profile, this.inputs);
    if (tlsProblem) {
      this.wanted = false;
      this.setState({ kind: 'failed', error: tlsProblem });
      return Promise.reject(new SessionError(tlsProblem));
    }
    const options = buildClientOptions(this.profile, this.inputs);
    options.reconnectPeriod = this.delayFor(this.retry);
    // Publishing while not connected is the Outbox's job (saved, counted, in order): no second queue in MQTT.js.
    options.queueQoSZero = false;
    const client = mqtt.connect(options);
    this.client = client;
    this.attach(client);
    const result = new Promise<void>((resolve, reject) => (this.firstConnect = { resolve, reject }));
    this.setState({ kind: 'connecting', attempt: 1 });
    client.connect();
    return result;
  }

  /** Sends DISCONNECT (the will is not published) and stops retrying. */
  async disconnect(): Promise<void> {
    this.wanted = false;
    const client = this.client;
    this.client = undefined;
    if (!client) {
      this.setState({ kind: 'disconnected' });
      return;
    }
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => client.end(true, {}, () => resolve()), 2000);
      client.end(false, {}, () => {
        clearTimeout(force);
        resolve();
      });
    });
    client.removeAllListeners();
    client.on('error', () => undefined);
    this.failPendingPublishes();
    this.setState({ kind: 'disconnected' });
  }

  /** Publishes and resolves when the QoS flow completes; rejects with the broker's reason or a local problem. */
  publish(topic: string, payload: Uint8Array | string, options: PublishOptions = {}): Promise<PublishResult> {
    const topicProblem = validateTopicName(topic);
    if (topicProblem) return Promise.reject(new SessionError(topicProblem));
    const client = this.client;
    if (!client || this.current.kind !== 'connected') {
      return Promise.reject(new SessionError(`Not connected: ${this.profile.name} is ${this.current.kind}. Connect first.`, undefined, true));
    }
    const qos = options.qos ?? 0;
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const publishOptions: IClientPublishOptions = { qos, retain: options.retain ?? false };
    if (this.isV5 && options.properties) publishOptions.properties = toPacketProperties(options.properties);
    // Larger than the broker's maximum packet size: it would close the connection, and MQTT.js resend it after each reconnect.
    const maximumPacketSize = this.current.kind === 'connected' ? this.current.maximumPacketSize : undefined;
    const tooLarge = packetTooLarge(maximumPacketSize, { topic, qos, properties: publishOptions.properties, protocolVersion: protocolVersionNumber(this.profile) }, bytes.byteLength);
    if (tooLarge) return Promise.reject(new SessionError(tooLarge));
    const limitProblem = serverLimitProblem(this.serverLimits, { qos, retain: publishOptions.retain ?? false, topicAlias: options.properties?.topicAlias, v5: this.isV5 });
    if (limitProblem) return Promise.reject(new SessionError(limitProblem));
    // At most Receive Maximum QoS 1/2 publishes await their acknowledgement; the rest wait here, in order.
    return new Promise<PublishResult>((resolve, reject) => {
      this.window.enter(qos > 0, (release) => {
        if (this.client !== client || this.current.kind !== 'connected') {
          release();
          reject(this.notSentError());
          return;
        }
        const started = this.env.now();
        const answered = this.acks.track((error) => (release(), reject(error)), qos);
        client.publish(topic, bytes, publishOptions, (error, packet) => {
          if (!answered()) return; // already failed when the client went away
          release();
          const elapsedMs = this.env.now() - started;
          const reasonCode = packet && 'reasonCode' in packet ? packet.reasonCode : this.acks.takeCode(packet);
          if (error) {
            const code = typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : reasonCode;
            reject(new SessionError(code !== undefined ? describeReasonCode(code) : `Publish failed: ${error.message}`, code, code === undefined && isConnectionLoss(error)));
            return;
          }
          const sent: MqttMessage = { topic, payload: bytes, qos, retain: publishOptions.retain ?? false, dup: false, properties: options.properties, receivedAt: this.env.now(), seq: ++this.seq, direction: 'out' };
          this.sentEmitter.fire(sent);
          resolve(publishResult(qos, elapsedMs, reasonCode));
        });
      }, reject);
    });
  }

  /** Adds a subscription; sent now when connected, else on the next connect. Resolves with its SUBACK result. */
  async subscribe(request: SubscriptionRequest): Promise<SubscriptionStatus> {
    const status = this.subscriptions.add(request);
    if (this.current.kind !== 'connected') return status;
    return this.sendSubscribe(status);
  }

  /** Removes a subscription (sends UNSUBSCRIBE when connected). */
  async unsubscribe(filter: string): Promise<void> {
    if (!this.subscriptions.remove(filter)) throw new SessionError(`There is no subscription to "${filter}" on ${this.profile.name}.`);
    const client = this.client;
    if (client && this.current.kind === 'connected') await client.unsubscribeAsync(filter);
  }

  /** Closes the connection at once and releases every listener. */
  dispose(): void {
    this.wanted = false;
    this.client?.end(true);
    this.client?.removeAllListeners();
    this.client = undefined;
    this.failPendingPublishes();
    this.stateEmitter.dispose();
    this.messageEmitter.dispose();
    this.rttEmitter.dispose();
    this.sentEmitter.dispose();
    this.subscriptions.dispose();
  }

  /** The client is gone: publishes it never answered will not be answered now. */
  private failPendingPublishes(): void {
    this.window.cancelWaiting(() => this.notSentError());
    this.window.reset();
    this.acks.failAll(() => new SessionError(`The connection to ${this.profile.name} closed before the broker acknowledged the message.`, undefined, true));
  }

  /** A publish that waited for a place in the Receive Maximum window when the connection went: sending it later is right. */
  private notSentError(): SessionError {
    return new SessionError(`The connection to ${this.profile.name} closed while the message waited for a free place under the broker's Receive Maximum; it was not sent.`, undefined, true);
  }

  private get isV5(): boolean {
    return protocolVersionNumber(this.profile) === 5;
  }

  private attach(client: MqttClient): void {
    client.on('connect', (packet) => this.onConnack(packet));
    client.on('reconnect', () => {
      this.setState({ kind: 'connecting', attempt: this.retry });
      this.retry++;
      client.options.reconnectPeriod = this.delayFor(this.retry);
    });
    client.on('error', (error) => this.onError(error));
    client.on('disconnect', (packet: IDisconnectPacket) => {
      const code = packet.reasonCode ?? 0;
      this.lastError = code === SESSION_TAKEN_OVER ? takenOverMessage(describeReasonCode(code), this.clientId) : `The broker closed the connection: ${describeReasonCode(code)}`;
    });
    client.on('close', () => this.onClose(client));
    client.on('message', (topic, payload, packet) => this.onPublish(topic, payload, packet));
    client.on('packetsend', (packet: Packet) => {
      if (packet.cmd === 'pingreq') this.pingSentAt = this.env.now();
      if (packet.cmd === 'connect') this.connectSentAt = this.env.now();
    });
    client.on('packetreceive', (packet: Packet) => {
      this.batchAcks(packet, client.stream);
      if (packet.cmd === 'pingresp' && this.pingSentAt !== undefined) this.recordRtt(this.env.now() - this.pingSentAt);
      if (packet.cmd === 'connack' && this.connectSentAt !== undefined) this.recordRtt(this.env.now() - this.connectSentAt);
      this.acks.noteAck(packet);
    });
  }

  private onConnack(packet: IConnackPacket): void {
    // The backoff starts over only when this connection stays up, so two clients with one id do not fight in a loop.
    this.stability.connected(() => {
      this.retry = 1;
      if (this.client) this.client.options.reconnectPeriod = this.delayFor(this.retry);
    });
    this.lastError = undefined;
    if (this.client) this.client.options.reconnectPeriod = this.delayFor(this.retry);
    const sessionPresent = packet.sessionPresent;
    this.serverLimits = serverLimitsOf(packet);
    this.window.resize(this.serverLimits.receiveMaximum);
    this.setState({ kind: 'connected', since: this.env.now(), sessionPresent, maximumPacketSize: packet.properties?.maximumPacketSize });
    this.firstConnect?.resolve();
    this.firstConnect = undefined;
    if (sessionPresent) this.subscriptions.restoreFromSession();
    for (const status of this.subscriptions.toSend(sessionPresent)) void this.sendSubscribe(status);
  }

  private onError(error: Error & { code?: unknown }): void {
    if (typeof error.code === 'number') {
      const version = protocolVersionNumber(this.profile);
      this.lastError = `The broker refused the connection: ${describeConnackCode(error.code, version)}`;
      if (isPermanentConnackRefusal(error.code, version)) {
        this.fatalError = this.lastError;
        this.fatalCode = error.code;
      }
      return;
    }
    this.lastError = describeNetworkError(error, this.profile);
    if (isFatalNetworkError(error)) this.fatalError = this.lastError;
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client || !this.wanted) return;
    this.acks.failVolatile(() => new SessionError('The connection closed before the message was written.', undefined, true));
    this.window.cancelWaiting(() => this.notSentError());
    this.subscriptions.markAllPending();
    const unexplained = this.stability.closed(this.lastError !== undefined);
    const error = this.fatalError ?? this.lastError ?? (unexplained ? closedAfterConnectMessage(this.clientId) : `The connection to ${this.profile.host}:${this.profile.port} was closed.`);
    if (this.fatalError) {
      this.wanted = false;
      client.end(true);
      this.client = undefined;
      this.failPendingPublishes();
      this.setState({ kind: 'failed', error });
      this.firstConnect?.reject(new SessionError(error, this.fatalCode));
      this.firstConnect = undefined;
      return;
    }
    const delayMs = client.options.reconnectPeriod ?? this.profile.reconnect.initialDelay;
    this.reconnectDelays.push(delayMs);
    this.setState({ kind: 'reconnecting', attempt: this.retry, delayMs, nextAttemptAt: this.env.now() + delayMs, lastError: error });
    this.firstConnect?.reject(new SessionError(error));
    this.firstConnect = undefined;
  }

  private onPublish(topic: string, payload: Buffer, packet: IPublishPacket): void {
    this.messageEmitter.fire({
      topic,
      payload,
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      properties: packet.properties ? fromPacketProperties(packet.properties) : undefined,
      receivedAt: this.arrivedAt(),
      seq: ++this.seq,
      direction: 'in',
    });
  }

  private async sendSubscribe(status: SubscriptionStatus): Promise<SubscriptionStatus> {
    const client = this.client;
    if (!client) return status;
    const { filter, qos, noLocal, retainAsPublished, retainHandling, subscriptionIdentifier } = status.request;
    const options = this.isV5 ? { qos, nl: noLocal, rap: retainAsPublished, rh: retainHandling } : { qos };
    const properties = this.isV5 && subscriptionIdentifier !== undefined ? { subscriptionIdentifier } : undefined;
    return new Promise<SubscriptionStatus>((resolve) => {
      client.subscribe({ [filter]: options }, properties ? { properties } : {}, (error, _granted, packet) => {
        const code = packet && 'granted' in packet ? (packet.granted as number[])[0] : undefined;
        if (code !== undefined) resolve(this.subscriptions.settle(filter, code));
        else resolve(this.subscriptions.fail(filter, error ? error.message : 'No SUBACK was received.'));
      });
    });
  }

  private delayFor(attempt: number): number {
    return backoffDelay(this.profile.reconnect, attempt, this.env.random);
  }

  private recordRtt(ms: number): void {
    this.lastRtt = ms;
    this.rttEmitter.fire(ms);
  }

  private setState(state: SessionState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }
}
