/**
 * Messages between the host and the monitor webviews (Connection Health, Broker Dashboard). One snapshot at
 * most once a second while the panel is visible; the webview only says it is ready. Data from the broker
 * (versions, state reasons) is text, rendered with textContent.
 */

/** A chart: (epoch ms, value) points, oldest first, already thinned by the host. */
export type Points = Array<[number, number]>;

/** The health of one connection. */
export interface HealthSnapshot {
  connection: string;
  state: string;
  /** 0..100, undefined before the first state change. */
  uptimePercent: number | undefined;
  reconnects: number;
  changes: Array<{ at: number; state: string; reason: string | undefined }>;
  rtt: Points;
  messagesIn: Points;
  messagesOut: Points;
}

/** The `$SYS` figures of one broker and their charts. */
export interface BrokerSnapshot {
  connection: string;
  flavor: string | undefined;
  version: string | undefined;
  uptimeSeconds: number | undefined;
  clientsConnected: number | undefined;
  retained: number | undefined;
  subscriptions: number | undefined;
  messagesReceived: number | undefined;
  messagesSent: number | undefined;
  updatedAt: number | undefined;
  clients: Points;
  messagesInPerSecond: Points;
  messagesOutPerSecond: Points;
  bytesInPerSecond: Points;
  bytesOutPerSecond: Points;
}

/** Host -> webview. */
export type ToMonitorWebview =
  | { type: 'health'; now: number; since: number; connections: HealthSnapshot[] }
  | { type: 'broker'; now: number; brokers: BrokerSnapshot[]; note: string | undefined };

/** Webview -> host. */
export type FromMonitorWebview = { type: 'ready' };

/** Checks a message from a monitor webview; anything but `{ type: 'ready' }` is rejected. */
export function validateFromMonitorWebview(raw: unknown): { ok: true; message: FromMonitorWebview } | { ok: false; reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not an object with a type' };
  const record = raw as Record<string, unknown>;
  if (record.type !== 'ready') return { ok: false, reason: `unknown message type ${JSON.stringify(record.type)?.slice(0, 40)}` };
  if (Object.keys(record).length !== 1) return { ok: false, reason: 'ready: unexpected fields' };
  return { ok: true, message: { type: 'ready' } };
}
