/**
 * Queued messages as they are saved (JSON: payload and correlation data in base64), and the checks that turn
 * saved records back into messages. A record that fails a check is reported, never silently dropped.
 */
import type { PublishProperties, QoS, UserProperty } from '../../shared/mqttMessage';
import { FieldReader } from '../fieldReader';
import { toBase64 } from '../payload';
import { parseBase64 } from '../payload/base64';
import { validateTopicName } from '../topics';

/** One queued message, in memory. */
export interface OutboxEntry {
  /** Increasing per outbox: the send order. */
  readonly id: number;
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties?: PublishProperties;
  /** Epoch milliseconds when it was queued. */
  readonly queuedAt: number;
  /** Saved to storage (QoS 1/2 always; QoS 0 only with offlineQueue.persistQos0). */
  readonly persisted: boolean;
}

/** MQTT 5 properties as saved: correlation data in base64. */
export interface OutboxRecordProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  topicAlias?: number;
  responseTopic?: string;
  /** Base64. */
  correlationData?: string;
  userProperties?: Array<[string, string]>;
  contentType?: string;
}

/** One queued message as saved. */
export interface OutboxRecord {
  id: number;
  topic: string;
  /** Base64 of the payload bytes. */
  payload: string;
  qos: QoS;
  retain: boolean;
  properties?: OutboxRecordProperties;
  queuedAt: number;
}

/** The saved form of an entry. */
export function toRecord(entry: OutboxEntry): OutboxRecord {
  const record: OutboxRecord = { id: entry.id, topic: entry.topic, payload: toBase64(entry.payload), qos: entry.qos, retain: entry.retain, queuedAt: entry.queuedAt };
  const p = entry.properties;
  if (p) {
    const properties: OutboxRecordProperties = {
      payloadFormatIndicator: p.payloadFormatIndicator,
      messageExpiryInterval: p.messageExpiryInterval,
      topicAlias: p.topicAlias,
      responseTopic: p.responseTopic,
      correlationData: p.correlationData && toBase64(p.correlationData),
      userProperties: p.userProperties?.map(([k, v]): [string, string] => [k, v]),
      contentType: p.contentType,
    };
    record.properties = JSON.parse(JSON.stringify(properties)) as OutboxRecordProperties; // drops the undefined fields
  }
  return record;
}

function base64Field(reader: FieldReader, key: string, required: boolean): Uint8Array | undefined {
  const text = reader.string(key, { required });
  if (text === undefined) return undefined;
  const decoded = parseBase64(text);
  if (!decoded.ok) {
    reader.problem(key, decoded.error);
    return undefined;
  }
  return decoded.bytes;
}

function readRecordProperties(reader: FieldReader): PublishProperties | undefined {
  const nested = reader.object('properties');
  if (!nested) return undefined;
  const pairs = nested.array('userProperties', (item, path): UserProperty | undefined => {
    if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && typeof item[1] === 'string') return [item[0], item[1]];
    reader.problems.push(`${path}: must be a [name, value] pair of strings`);
    return undefined;
  });
  const properties: PublishProperties = {
    payloadFormatIndicator: nested.boolean('payloadFormatIndicator'),
    messageExpiryInterval: nested.integer('messageExpiryInterval', 0, 4_294_967_295),
    topicAlias: nested.integer('topicAlias', 1, 65_535),
    responseTopic: nested.string('responseTopic'),
    correlationData: base64Field(nested, 'correlationData', false),
    userProperties: pairs,
    contentType: nested.string('contentType'),
  };
  nested.rejectUnknownFields();
  for (const key of Object.keys(properties) as Array<keyof PublishProperties>) if (properties[key] === undefined) delete properties[key];
  return properties;
}

/** A saved record back as an entry, or the problems that make it unusable ("outbox[3].qos: ..."). */
export function fromRecord(value: unknown, path: string): { entry: OutboxEntry } | { problems: string[] } {
  const problems: string[] = [];
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return { problems };
  const id = reader.integer('id', 0, Number.MAX_SAFE_INTEGER);
  const topic = reader.string('topic', { required: true });
  const topicProblem = topic === undefined ? undefined : validateTopicName(topic);
  if (topicProblem) reader.problem('topic', topicProblem);
  const payload = base64Field(reader, 'payload', true);
  const qos = reader.oneOf('qos', [0, 1, 2] as const);
  const retain = reader.boolean('retain');
  const queuedAt = reader.integer('queuedAt', 0, Number.MAX_SAFE_INTEGER);
  const properties = readRecordProperties(reader);
  reader.rejectUnknownFields();
  for (const key of ['id', 'qos']) if (reader.value[key] === undefined) reader.problem(key, 'is required');
  if (problems.length > 0 || id === undefined || topic === undefined || payload === undefined || qos === undefined) return { problems };
  const entry: OutboxEntry = { id, topic, payload, qos, retain: retain ?? false, queuedAt: queuedAt ?? 0, persisted: true, ...(properties ? { properties } : {}) };
  return { entry };
}
