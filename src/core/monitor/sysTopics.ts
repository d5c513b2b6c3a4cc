/**
 * Broker figures from `$SYS` topics. Which broker gives which field (the README table is this list):
 * - mosquitto (`$SYS/broker/...`): version, uptime, clients/connected, messages/received|sent, bytes/received|sent
 *   (totals: rates are computed from them), retained messages/count, subscriptions/count.
 * - EMQX and brokers following its layout, e.g. NanoMQ (`$SYS/brokers/<node>/...`): version, uptime,
 *   stats/connections/count, stats/subscriptions/count, stats/retained/count, metrics/messages/received|sent,
 *   metrics/bytes/received|sent.
 * - aedes with aedes-stats (`$SYS/<id>/...`): uptime, clients/total, messages/publish/sent (no bytes, retained,
 *   subscriptions or version: those stay empty).
 */

/** The fields a dashboard shows; a field the broker does not publish stays undefined. */
export interface BrokerFigures {
  flavor: 'mosquitto' | 'emqx' | 'aedes' | undefined;
  version: string | undefined;
  uptimeSeconds: number | undefined;
  clientsConnected: number | undefined;
  messagesReceived: number | undefined;
  messagesSent: number | undefined;
  bytesReceived: number | undefined;
  bytesSent: number | undefined;
  retained: number | undefined;
  subscriptions: number | undefined;
}

type NumericField = Exclude<keyof BrokerFigures, 'flavor' | 'version'>;
type Rule = { pattern: RegExp; flavor: NonNullable<BrokerFigures['flavor']>; field: NumericField | 'version' };

const RULES: readonly Rule[] = [
  ['version', 'version'],
  ['uptime', 'uptimeSeconds'],
  ['clients/connected', 'clientsConnected'],
  ['messages/received', 'messagesReceived'],
  ['messages/sent', 'messagesSent'],
  ['bytes/received', 'bytesReceived'],
  ['bytes/sent', 'bytesSent'],
  ['retained messages/count', 'retained'],
  ['subscriptions/count', 'subscriptions'],
].map(([path, field]) => ({ pattern: new RegExp(`^\\$SYS/broker/${path}$`), flavor: 'mosquitto' as const, field: field as Rule['field'] }));

const EMQX: readonly Rule[] = [
  ['version', 'version'],
  ['uptime', 'uptimeSeconds'],
  ['stats/connections/count', 'clientsConnected'],
  ['stats/subscriptions/count', 'subscriptions'],
  ['stats/retained/count', 'retained'],
  ['metrics/messages/received', 'messagesReceived'],
  ['metrics/messages/sent', 'messagesSent'],
  ['metrics/bytes/received', 'bytesReceived'],
  ['metrics/bytes/sent', 'bytesSent'],
].map(([path, field]) => ({ pattern: new RegExp(`^\\$SYS/brokers/[^/]+/${path}$`), flavor: 'emqx' as const, field: field as Rule['field'] }));

const AEDES: readonly Rule[] = [
  ['uptime', 'uptimeSeconds'],
  ['clients/total', 'clientsConnected'],
  ['messages/publish/sent', 'messagesSent'],
].map(([path, field]) => ({ pattern: new RegExp(`^\\$SYS/(?!brokers?/)[^/]+/${path}$`), flavor: 'aedes' as const, field: field as Rule['field'] }));

const ALL_RULES = [...RULES, ...EMQX, ...AEDES];

/** Figures with nothing known yet. */
export function emptyFigures(): BrokerFigures {
  return { flavor: undefined, version: undefined, uptimeSeconds: undefined, clientsConnected: undefined, messagesReceived: undefined, messagesSent: undefined, bytesReceived: undefined, bytesSent: undefined, retained: undefined, subscriptions: undefined };
}

/** Seconds from "12345 seconds" (mosquitto), "12345" (aedes) or "1 days, 2 hours, 3 minutes, 4 seconds" (EMQX). */
export function parseUptime(text: string): number | undefined {
  const plain = /^\s*(\d+(?:\.\d+)?)\s*(?:s|seconds?)?\s*$/.exec(text);
  if (plain) return Number(plain[1]);
  const units: Record<string, number> = { day: 86_400, hour: 3600, minute: 60, second: 1 };
  let total = 0;
  let found = false;
  for (const match of text.matchAll(/(\d+)\s*(day|hour|minute|second)s?/g)) {
    total += Number(match[1]) * (units[match[2] ?? 'second'] ?? 1);
    found = true;
  }
  return found ? total : undefined;
}

/** Applies one `$SYS` message to `figures`; returns false when the topic is not one of the known fields. */
export function applySysMessage(figures: BrokerFigures, topic: string, text: string): boolean {
  if (!topic.startsWith('$SYS/')) return false;
  const rule = ALL_RULES.find((r) => r.pattern.test(topic));
  if (!rule) return false;
  // A broker is one flavor: once known, the other layouts' look-alike topics are not mixed in.
  if (figures.flavor !== undefined && figures.flavor !== rule.flavor) return false;
  const value = rule.field === 'version' ? text.trim() : rule.field === 'uptimeSeconds' ? parseUptime(text) : Number(text.trim());
  if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return false;
  figures.flavor = rule.flavor;
  if (rule.field === 'version') figures.version = String(value);
  else figures[rule.field] = Number(value);
  return true;
}
