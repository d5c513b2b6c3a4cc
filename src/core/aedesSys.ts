import type { Aedes, AedesPublishPacket } from 'aedes';
import type { Socket } from 'node:net';

/** Seconds between $SYS updates of the embedded broker, as mosquitto's sys_interval in the extension's config. */
export const AEDES_SYS_INTERVAL_MS = 2_000;

/** Bytes in and out of every socket a broker accepted, the closed ones included. */
export class ByteCounter {
  private closedReceived = 0;
  private closedSent = 0;
  private readonly open = new Set<Socket>();

  /** Counts this socket from now until it closes. */
  track(socket: Socket): void {
    this.open.add(socket);
    socket.once('close', () => {
      this.open.delete(socket);
      this.closedReceived += socket.bytesRead;
      this.closedSent += socket.bytesWritten;
    });
  }

  get received(): number {
    let total = this.closedReceived;
    for (const socket of this.open) total += socket.bytesRead;
    return total;
  }

  get sent(): number {
    let total = this.closedSent;
    for (const socket of this.open) total += socket.bytesWritten;
    return total;
  }
}

/** What the $SYS publisher counts; `published` hooks into aedes' authorizeForward, called once per delivery. */
export class AedesTraffic {
  publishReceived = 0;
  publishSent = 0;
  maximumClients = 0;
  readonly bytes = new ByteCounter();

  /** For aedes' `authorizeForward` option: counts the delivery and lets it through unchanged. */
  readonly forward = (_client: unknown, packet: AedesPublishPacket): AedesPublishPacket => {
    this.publishSent++;
    return packet;
  };
}

/**
 * Publishes mosquitto's $SYS topics from aedes every {@link AEDES_SYS_INTERVAL_MS} (retained, like mosquitto), so a
 * $SYS reader made for mosquitto works on the embedded broker too: `$SYS/broker/uptime` ("N seconds"),
 * `clients/connected`, `clients/maximum`, `messages/received|sent` and `publish/messages/received|sent` (PUBLISH
 * packets: aedes does not expose the others), `bytes/received|sent`, `retained messages/count`, `subscriptions/count`
 * and `version`. Returns a function that stops it.
 */
export function publishSysTopics(broker: Aedes, traffic: AedesTraffic, version: string, intervalMs = AEDES_SYS_INTERVAL_MS): () => void {
  const started = Date.now();
  broker.on('publish', (_packet, client) => {
    if (client) traffic.publishReceived++;
  });
  const publish = (topic: string, value: string | number): void => {
    const packet = { cmd: 'publish', topic: `$SYS/broker/${topic}`, payload: Buffer.from(String(value)), qos: 0, retain: true, dup: false } as AedesPublishPacket;
    broker.publish(packet, () => undefined);
  };
  const tick = async (): Promise<void> => {
    traffic.maximumClients = Math.max(traffic.maximumClients, broker.connectedClients);
    const offline = await countOffline(broker);
    const retained = await countRetained(broker);
    if (broker.closed) return;
    publish('version', version);
    publish('uptime', `${Math.floor((Date.now() - started) / 1000)} seconds`);
    publish('clients/connected', broker.connectedClients);
    publish('clients/maximum', traffic.maximumClients);
    publish('messages/received', traffic.publishReceived);
    publish('messages/sent', traffic.publishSent);
    publish('publish/messages/received', traffic.publishReceived);
    publish('publish/messages/sent', traffic.publishSent);
    publish('bytes/received', traffic.bytes.received);
    publish('bytes/sent', traffic.bytes.sent);
    publish('retained messages/count', retained);
    publish('subscriptions/count', offline);
  };
  const run = (): void => void tick().catch(() => undefined);
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

interface CountingPersistence {
  countOffline(): Promise<{ subsCount: number }>;
  createRetainedStreamCombi(patterns: string[]): AsyncIterable<{ topic: string }>;
}

function persistence(broker: Aedes): CountingPersistence {
  return (broker as unknown as { persistence: CountingPersistence }).persistence;
}

async function countOffline(broker: Aedes): Promise<number> {
  return (await persistence(broker).countOffline()).subsCount;
}

async function countRetained(broker: Aedes): Promise<number> {
  let count = 0;
  for await (const packet of persistence(broker).createRetainedStreamCombi(['#'])) if (!packet.topic.startsWith('$')) count++;
  return count;
}
