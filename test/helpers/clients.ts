// Small promise wrappers around a bare MQTT.js client, for tests that talk to a real broker.
// Every wait is bounded; no client reconnects unless the test asks for it.
import { connect, type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';

const DEFAULT_TIMEOUT_MS = 10_000;

/** A client that received a CONNACK. */
export interface Connected {
  readonly client: MqttClient;
  readonly connack: IConnackPacket;
  /** Every message received since the client was created (queued messages can arrive with the CONNACK). */
  readonly inbox: Inbox;
}

/** One received PUBLISH. */
export interface Received {
  readonly topic: string;
  readonly payload: Buffer;
  readonly packet: IPublishPacket;
}

/** Records every message a client receives, from the moment it is created. */
export class Inbox {
  /** Messages in arrival order. */
  readonly messages: Received[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, payload, packet });
      for (const wake of this.waiters) wake();
    });
  }

  /** Resolves with the first `count` messages once that many arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Received[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.messages.length < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.messages.slice(0, count));
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Received ${this.messages.length} of ${count} messages within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

/** An error as MQTT.js or Node reports it: `code` is a CONNACK code/reason (number) or a Node error code (string). */
export type ClientError = Error & { readonly code?: number | string };

function withDefaults(options: IClientOptions): IClientOptions {
  return { reconnectPeriod: 0, connectTimeout: 5_000, ...options };
}

/** Connects and resolves on CONNACK; rejects with the first error (or close) before it, or after `timeoutMs`. */
export function connectClient(url: string, options: IClientOptions = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Connected> {
  const client = connect(url, withDefaults(options));
  const inbox = new Inbox(client);
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      cleanup();
      client.end(true);
      reject(error);
    };
    const onConnect = (connack: IConnackPacket): void => {
      cleanup();
      resolve({ client, connack, inbox });
    };
    const onError = (error: Error): void => fail(error);
    const onClose = (): void => fail(new Error(`Connection to ${url} closed before CONNACK.`));
    const timer = setTimeout(() => fail(new Error(`No CONNACK from ${url} within ${timeoutMs} ms.`)), timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
    }
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
  });
}

/** Expects the connection to fail: resolves with the error; rejects if a CONNACK with success arrives. */
export async function connectFailure(url: string, options: IClientOptions = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ClientError> {
  let connected: Connected;
  try {
    connected = await connectClient(url, options, timeoutMs);
  } catch (error) {
    return error as ClientError;
  }
  await endClient(connected.client);
  throw new Error(`Expected connecting to ${url} to fail, but it connected (CONNACK ${JSON.stringify(connected.connack)}).`);
}

/** Disconnects cleanly (DISCONNECT sent, socket closed); force-closes after `timeoutMs`. */
export async function endClient(client: MqttClient, timeoutMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      client.end(true);
      resolve();
    }, timeoutMs);
  });
  await Promise.race([client.endAsync(), timedOut]);
  clearTimeout(timer);
}
