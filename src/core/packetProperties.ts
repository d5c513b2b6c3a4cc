import type { IPublishPacket } from 'mqtt';
import type { PublishProperties, UserProperty } from '../shared/mqttMessage';

type PacketProperties = NonNullable<IPublishPacket['properties']>;

/** MQTT.js PUBLISH properties -> our message properties (user properties as ordered pairs, bytes as Uint8Array). */
export function fromPacketProperties(p: PacketProperties): PublishProperties | undefined {
  const result: PublishProperties = {};
  if (p.payloadFormatIndicator !== undefined) result.payloadFormatIndicator = p.payloadFormatIndicator;
  if (p.messageExpiryInterval !== undefined) result.messageExpiryInterval = p.messageExpiryInterval;
  if (p.topicAlias !== undefined) result.topicAlias = p.topicAlias;
  if (p.responseTopic !== undefined) result.responseTopic = p.responseTopic;
  if (p.correlationData !== undefined) result.correlationData = new Uint8Array(p.correlationData);
  if (p.contentType !== undefined) result.contentType = p.contentType;
  if (p.subscriptionIdentifier !== undefined) {
    result.subscriptionIdentifiers = Array.isArray(p.subscriptionIdentifier) ? p.subscriptionIdentifier : [p.subscriptionIdentifier];
  }
  if (p.userProperties) {
    const pairs: UserProperty[] = [];
    for (const [key, value] of Object.entries(p.userProperties)) {
      for (const v of Array.isArray(value) ? value : [value]) pairs.push([key, String(v)]);
    }
    result.userProperties = pairs;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Our message properties -> MQTT.js PUBLISH properties (repeated user property keys become arrays). */
export function toPacketProperties(p: PublishProperties): PacketProperties {
  const result: PacketProperties = {
    payloadFormatIndicator: p.payloadFormatIndicator,
    messageExpiryInterval: p.messageExpiryInterval,
    topicAlias: p.topicAlias,
    responseTopic: p.responseTopic,
    correlationData: p.correlationData ? Buffer.from(p.correlationData) : undefined,
    contentType: p.contentType,
  };
  if (p.userProperties?.length) {
    const grouped: Record<string, string | string[]> = {};
    for (const [key, value] of p.userProperties) {
      const existing = grouped[key];
      grouped[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    result.userProperties = grouped;
  }
  for (const key of Object.keys(result) as Array<keyof PacketProperties>) if (result[key] === undefined) delete result[key];
  return result;
}
