/**
 * The `$SYS` figures of each connection's broker over time: the latest values (sysTopics.ts), and every
 * SAMPLE_MS a sample of clients and of the message and byte rates computed from the broker's counters.
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import { SampleRing } from './sampleRing';
import { applySysMessage, emptyFigures, type BrokerFigures } from './sysTopics';

/** How often a chart point is taken; a day of them is kept. */
export const SAMPLE_MS = 5000;
const SAMPLES_KEPT = 17_280;
const MAX_SYS_PAYLOAD = 256;
const decoder = new TextDecoder();

/** The charts of one broker. */
export interface BrokerSeries {
  clients: SampleRing;
  messagesInPerSecond: SampleRing;
  messagesOutPerSecond: SampleRing;
  bytesInPerSecond: SampleRing;
  bytesOutPerSecond: SampleRing;
}

/** One broker's figures and charts. */
export interface BrokerStats {
  figures: BrokerFigures;
  series: BrokerSeries;
  /** When the last `$SYS` message with a known field came. */
  updatedAt: number | undefined;
  /** The counters at the previous sample (rates are their differences). */
  previous: { at: number; figures: BrokerFigures } | undefined;
}

/** Broker stats per connection. */
export class BrokerStatsBook {
  private readonly stats = new Map<string, BrokerStats>();
  private lastSample = 0;

  /** A `$SYS` message; others are ignored. */
  message(connection: string, message: MqttMessage): void {
    if (message.payload.byteLength > MAX_SYS_PAYLOAD) return;
    const stats = this.of(connection);
    if (applySysMessage(stats.figures, message.topic, decoder.decode(message.payload))) stats.updatedAt = message.receivedAt;
  }

  get(connection: string): BrokerStats | undefined {
    return this.stats.get(connection);
  }

  /** Takes a chart sample of every broker when SAMPLE_MS has passed. */
  tick(now: number): void {
    if (now - this.lastSample < SAMPLE_MS) return;
    this.lastSample = now;
    for (const stats of this.stats.values()) sample(stats, now);
  }

  private of(connection: string): BrokerStats {
    let stats = this.stats.get(connection);
    if (!stats) {
      const ring = (): SampleRing => new SampleRing(SAMPLES_KEPT);
      stats = { figures: emptyFigures(), series: { clients: ring(), messagesInPerSecond: ring(), messagesOutPerSecond: ring(), bytesInPerSecond: ring(), bytesOutPerSecond: ring() }, updatedAt: undefined, previous: undefined };
      this.stats.set(connection, stats);
    }
    return stats;
  }
}

/** Per-second rate of a counter between two samples; undefined when unknown or reset (broker restart). */
export function counterRate(now: number | undefined, before: number | undefined, ms: number): number | undefined {
  if (now === undefined || before === undefined || ms <= 0 || now < before) return undefined;
  return (now - before) / (ms / 1000);
}

function sample(stats: BrokerStats, now: number): void {
  const f = stats.figures;
  if (f.flavor === undefined) return;
  if (f.clientsConnected !== undefined) stats.series.clients.push(now, f.clientsConnected);
  const previous = stats.previous;
  if (previous) {
    const ms = now - previous.at;
    const pairs: Array<[SampleRing, number | undefined, number | undefined]> = [
      [stats.series.messagesInPerSecond, f.messagesReceived, previous.figures.messagesReceived],
      [stats.series.messagesOutPerSecond, f.messagesSent, previous.figures.messagesSent],
      [stats.series.bytesInPerSecond, f.bytesReceived, previous.figures.bytesReceived],
      [stats.series.bytesOutPerSecond, f.bytesSent, previous.figures.bytesSent],
    ];
    for (const [ring, current, before] of pairs) {
      const rate = counterRate(current, before, ms);
      if (rate !== undefined) ring.push(now, rate);
    }
  }
  stats.previous = { at: now, figures: { ...f } };
}
