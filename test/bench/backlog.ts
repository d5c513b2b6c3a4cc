// The broker side of the pipeline benchmark: a backlog of QoS 1 messages queued by mosquitto for a persistent
// session that is offline, built by a plain MQTT.js publisher, and drained by a bare MQTT.js client.
import { performance } from 'node:perf_hooks';
import { connect, type MqttClient } from 'mqtt';
import { connectClient, endClient } from '../helpers/clients';

/** Where the backlog goes: the consumer's client id, its filter and how the messages look. */
export interface BacklogSpec {
  url: string;
  clientId: string;
  messages: number;
  /** Topic of message i. */
  topic(i: number): string;
  payloadBytes: number;
}

/** Connect options of the persistent consumer session (MQTT 5, clean start off, an hour of session expiry). */
export const PERSISTENT = { protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: 3600 }, reconnectPeriod: 0 } as const;
export const FILTER = 'bench/#';
const WINDOW = 2000;

/** Makes `clientId` a persistent session subscribed to {@link FILTER} (QoS 1) that is offline afterwards. */
export async function prepareSession(url: string, clientId: string): Promise<void> {
  const { client } = await connectClient(url, { ...PERSISTENT, clientId });
  await client.subscribeAsync(FILTER, { qos: 1 });
  await endClient(client);
}

/** Publishes the backlog at QoS 1 (`WINDOW` unacknowledged at a time) and resolves when the broker acknowledged all. */
export async function publishBacklog(spec: BacklogSpec): Promise<void> {
  const { client } = await connectClient(spec.url, { protocolVersion: 5 });
  const payload = Buffer.alloc(spec.payloadBytes, 0x2a);
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let acked = 0;
    const sendMore = (): void => {
      while (sent < spec.messages && sent - acked < WINDOW) {
        client.publish(spec.topic(sent++), payload, { qos: 1 }, (error) => {
          if (error) return reject(error);
          if (++acked === spec.messages) resolve();
          else sendMore();
        });
      }
    };
    sendMore();
  });
  await endClient(client);
}

/** Drains the backlog with a bare MQTT.js client that only counts; resolves with the ms from connect to the last message. */
export async function drainRaw(spec: BacklogSpec): Promise<number> {
  const started = performance.now();
  const client: MqttClient = connect(spec.url, { ...PERSISTENT, clientId: spec.clientId });
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on('message', () => {
      if (++received === spec.messages) resolve();
    });
  });
  const ms = performance.now() - started;
  await endClient(client);
  return ms;
}
