import type { Packet } from 'mqtt';

/** The part of a stream the batcher uses: Node's Writable (net.Socket, TLSSocket, the websocket duplex) has both. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Writes the acknowledgements MQTT.js sends for the packets of one turn of the event loop in one go.
 *
 * MQTT.js answers every received QoS 1 PUBLISH with a PUBACK (QoS 2: PUBREC, a PUBREL with a PUBCOMP, a PUBREC of
 * ours with a PUBREL) as soon as the message is handled, and each answer is its own write to the socket: at full
 * rate one system call per message, the largest single cost of the receive path. The packets of one socket read
 * are all handled in one turn (MQTT.js works through them on process.nextTick), so the batcher corks the stream at
 * the first packet that will be answered and uncorks it once the turn is over (setImmediate): Node then writes every
 * answer of that turn in one writev. What is sent, and when MQTT.js decides to send it, is unchanged (the acks of
 * QoS 1/2 still follow the handling of their message, in order); they only leave the process together, at most one
 * turn later.
 *
 * Call the result for every packet the client receives ('packetreceive'), with the stream it arrived on.
 */
export function ackBatcher(endOfTurn: (flush: () => void) => void = setImmediate): (packet: Packet, stream: Corkable | undefined) => void {
  let corked: Corkable | undefined;
  const flush = (): void => {
    const stream = corked;
    corked = undefined;
    stream?.uncork();
  };
  return (packet, stream) => {
    if (corked !== undefined || stream === undefined || !isAnswered(packet)) return;
    corked = stream;
    stream.cork();
    endOfTurn(flush);
  };
}

/** Whether MQTT.js answers this received packet with a packet of its own (an ack of the QoS 1/2 flows). */
function isAnswered(packet: Packet): boolean {
  switch (packet.cmd) {
    case 'publish':
      return packet.qos > 0;
    case 'pubrec':
    case 'pubrel':
      return true;
    default:
      return false;
  }
}
