/**
 * How received messages reach the parts of the monitor: a batch (one turn of the event loop, TurnBatch) goes to
 * the alert engine, then to the watches, then to the connection health and the $SYS figures, each part over the
 * whole batch so that part's code and data stay at hand. MonitorService feeds it; the monitor bench measures it.
 */
import type { AlertEngine } from './alertEngine';
import type { BrokerStatsBook } from './brokerStats';
import type { ConnectionHealth } from './healthHistory';
import type { ReceivedBatch } from './turnBatch';
import type { WatchBook } from './watches';

/** The parts of the monitor a received message updates. */
export interface MonitorParts {
  readonly engine: AlertEngine;
  readonly watches: WatchBook;
  readonly brokers: BrokerStatsBook;
  healthOf(connection: string): ConnectionHealth;
}

const DOLLAR = 0x24;

/** Feeds a batch of received messages to every part of the monitor, part by part. */
export function feedReceived(parts: MonitorParts, batch: ReceivedBatch): void {
  const { length, connections, messages, memos } = batch;
  for (let i = 0; i < length; i++) parts.engine.message(connections[i], messages[i], memos[i]);
  for (let i = 0; i < length; i++) parts.watches.message(connections[i], messages[i], memos[i]);
  for (let i = 0; i < length; i++) {
    const message = messages[i];
    parts.healthOf(connections[i]).messageIn(message.receivedAt);
    if (message.topic.charCodeAt(0) === DOLLAR) parts.brokers.message(connections[i], message);
  }
}
