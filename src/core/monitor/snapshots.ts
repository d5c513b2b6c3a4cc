/** The health history and broker figures as the monitor webviews receive them (thinned charts, plain data). */
import type { BrokerSnapshot, HealthSnapshot } from '../../shared/monitorProtocol';
import type { BrokerStats } from './brokerStats';
import type { ConnectionHealth } from './healthHistory';

/** Points per chart sent to a webview (a chart is a few hundred pixels wide). */
export const MAX_CHART_POINTS = 300;

/** The snapshot of one connection's health since `since`. */
export function healthSnapshot(health: ConnectionHealth, state: string, since: number, now: number): HealthSnapshot {
  return {
    connection: health.connection,
    state,
    uptimePercent: health.uptimePercent(now),
    reconnects: health.reconnects,
    changes: health.stateChanges().filter((c, i, all) => c.at >= since || all[i + 1] === undefined || (all[i + 1]?.at ?? 0) >= since),
    rtt: health.rtt.points(since, MAX_CHART_POINTS),
    messagesIn: health.inPerSecond.points(since, MAX_CHART_POINTS),
    messagesOut: health.outPerSecond.points(since, MAX_CHART_POINTS),
  };
}

/** The snapshot of one broker's `$SYS` figures. */
export function brokerSnapshot(connection: string, stats: BrokerStats | undefined, since: number): BrokerSnapshot {
  const f = stats?.figures;
  const points = (key: keyof BrokerStats['series']): Array<[number, number]> => stats?.series[key].points(since, MAX_CHART_POINTS) ?? [];
  return {
    connection,
    flavor: f?.flavor,
    version: f?.version,
    uptimeSeconds: f?.uptimeSeconds,
    clientsConnected: f?.clientsConnected,
    retained: f?.retained,
    subscriptions: f?.subscriptions,
    messagesReceived: f?.messagesReceived,
    messagesSent: f?.messagesSent,
    updatedAt: stats?.updatedAt,
    clients: points('clients'),
    messagesInPerSecond: points('messagesInPerSecond'),
    messagesOutPerSecond: points('messagesOutPerSecond'),
    bytesInPerSecond: points('bytesInPerSecond'),
    bytesOutPerSecond: points('bytesOutPerSecond'),
  };
}
