/**
 * How received messages reach the parts of the monitor: a batch (one turn of the event loop, TurnBatch) goes to
 * the alert engine, then to the watches, then to the connection health and the $SYS figures, each part over the
 * whole batch so that part's code and data stay at hand. MonitorService feeds it; the monitor bench measures it.
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import type { AlertEngine } from './alertEngine';
import type { BrokerStatsBook } from './brokerStats';
import type { ConnectionHealth } from './healthHistory';
import type { WatchBook } from './watches';

/** A message received on a connection. */
export interface ReceivedMessage {
  readonly connection: string;
  readonly message: MqttMessage;
}

/** The parts of the monitor a received message updates. */
export interface MonitorParts {
  readonly engine: AlertEngine;
  readonly watches: WatchBook;
  readonly brokers: BrokerStatsBook;
  healthOf(connection: string): ConnectionHealth;
}

const DOLLAR = 0x24;

/** Feeds a batch of received messages to every part of the monitor, part by part. */
export function feedReceived(parts: MonitorParts, batch: readonly ReceivedMessage[]): void {
  for (const { connection, message } of batch) parts.engine.message(connection, message);
  for (const { connection, message } of batch) parts.watches.message(connection, message);
  for (const { connection, message } of batch) {
    parts.healthOf(connection).messageIn(message.receivedAt);
    if (message.topic.charCodeAt(0) === DOLLAR) parts.brokers.message(connection, message);
  }
}
