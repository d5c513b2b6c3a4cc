/**
 * What an MQTT 5 broker's CONNACK allows this client to send: Maximum QoS, Retain Available and Topic Alias
 * Maximum. A publish beyond them would make the broker close the connection (MQTT 5 3.3.4), so it is refused
 * here with a sentence instead. MQTT 3.1.1 has no such properties: nothing is limited.
 */
import type { IConnackPacket } from 'mqtt';
import type { QoS } from '../../shared/mqttMessage';

/** The CONNACK properties that limit what this client may publish (undefined: the broker set no limit). */
export interface ServerLimits {
  /** How many QoS 1/2 publishes may await their acknowledgement at once. */
  readonly receiveMaximum?: number;
  /** 0 or 1 when the broker does not accept QoS 2 (or QoS 1 and 2). */
  readonly maximumQoS?: QoS;
  /** False when the broker keeps no retained messages. */
  readonly retainAvailable?: boolean;
  /** Highest topic alias the broker accepts; 0 or absent: none. */
  readonly topicAliasMaximum?: number;
}

/** The limits a CONNACK announces (an MQTT 3.1.1 CONNACK, without properties, announces none). */
export function serverLimitsOf(packet: IConnackPacket): ServerLimits {
  const p = packet.properties;
  if (!p) return {};
  return {
    receiveMaximum: p.receiveMaximum,
    maximumQoS: p.maximumQoS === 0 || p.maximumQoS === 1 ? p.maximumQoS : undefined,
    retainAvailable: p.retainAvailable,
    topicAliasMaximum: p.topicAliasMaximum,
  };
}

/** What one publish asks of the broker. */
export interface LimitedPublish {
  readonly qos: QoS;
  readonly retain: boolean;
  readonly topicAlias?: number;
  /** MQTT 5 only: a 3.1.1 broker announces no topic alias maximum, and the alias is not sent. */
  readonly v5: boolean;
}

/** Why the broker would refuse this publish by closing the connection, or undefined when it is within the limits. */
export function serverLimitProblem(limits: ServerLimits, publish: LimitedPublish): string | undefined {
  const { maximumQoS, retainAvailable, topicAliasMaximum } = limits;
  if (maximumQoS !== undefined && publish.qos > maximumQoS) {
    return `The broker accepts at most QoS ${maximumQoS} (Maximum QoS in its CONNACK); this QoS ${publish.qos} message was not sent. Publish it with QoS ${maximumQoS === 0 ? '0' : '0 or 1'}.`;
  }
  if (retainAvailable === false && publish.retain) {
    return 'The broker keeps no retained messages (Retain Available is 0 in its CONNACK); this message was not sent. Publish it without retain.';
  }
  const alias = publish.topicAlias;
  if (publish.v5 && alias !== undefined) {
    if (!topicAliasMaximum) {
      return 'The broker accepts no topic aliases (its CONNACK has no Topic Alias Maximum); this message was not sent. Publish it without topicAlias.';
    }
    if (alias > topicAliasMaximum) {
      return `Topic alias ${alias} is above the broker's Topic Alias Maximum (${topicAliasMaximum}); this message was not sent. Use an alias from 1 to ${topicAliasMaximum}.`;
    }
  }
  return undefined;
}
