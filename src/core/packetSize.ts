/**
 * The size on the wire of a PUBLISH packet, checked against the broker's maximum packet size (MQTT 5 CONNACK)
 * before sending. A broker closes the connection on a larger packet ("Packet too large (0x95)"), and MQTT.js
 * would send the same QoS 1/2 packet again after every reconnect, so the connection would never stay up.
 */
import { generate, type IPublishPacket } from 'mqtt-packet';
import { formatCount } from './payload/textPosition';

const EMPTY = Buffer.alloc(0);

/** Bytes of the variable-length "remaining length" field that encodes `n`. */
function lengthFieldBytes(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

/** What the size of a PUBLISH depends on besides the payload bytes. */
export interface PublishShape {
  topic: string;
  qos: 0 | 1 | 2;
  /** MQTT 5 properties as MQTT.js sends them. */
  properties?: IPublishPacket['properties'];
  protocolVersion: 3 | 4 | 5;
}

/**
 * Bytes of the whole PUBLISH packet (fixed header included) for a payload of `payloadBytes`, or `undefined`
 * when the packet cannot be encoded at all (MQTT.js then reports why).
 */
export function publishPacketSize(shape: PublishShape, payloadBytes: number): number | undefined {
  let empty: Buffer;
  try {
    const packet: IPublishPacket = { cmd: 'publish', topic: shape.topic, payload: EMPTY, qos: shape.qos, retain: false, dup: false, properties: shape.properties };
    if (shape.qos > 0) packet.messageId = 1;
    empty = generate(packet, { protocolVersion: shape.protocolVersion });
  } catch {
    return undefined;
  }
  // empty = 1 header byte + length field + `rest`; find the field width that fits.
  let width = 1;
  while (width < 4 && lengthFieldBytes(empty.length - 1 - width) !== width) width++;
  const rest = empty.length - 1 - width;
  return 1 + lengthFieldBytes(rest + payloadBytes) + rest + payloadBytes;
}

/**
 * Why a publish cannot be sent: it is larger than the `maximum` packet size the broker announced (none: no limit
 * known). Sending it would make the broker close the connection.
 */
export function packetTooLarge(maximum: number | undefined, shape: PublishShape, payloadBytes: number): string | undefined {
  if (maximum === undefined) return undefined;
  const size = publishPacketSize(shape, payloadBytes);
  return size !== undefined && size > maximum ? packetTooLargeMessage(size, maximum) : undefined;
}

/** The sentence for a publish larger than the broker takes, naming both sizes. */
function packetTooLargeMessage(size: number, maximum: number): string {
  return `The message is too large for the broker: ${formatCount(size)} bytes as an MQTT packet, and the broker accepts at most ${formatCount(maximum)} (its maximum packet size). Send a smaller payload.`;
}
