import type { Packet } from 'mqtt';
import type { QoS } from '../shared/mqttMessage';
import { describeReasonCode } from './reasonCodes';

/**
 * Bookkeeping of the publishes one session handed to MQTT.js: who still waits for an answer (failed when the
 * client goes away, since MQTT.js never calls back then) and the reason codes of PUBACK/PUBREC (MQTT.js calls
 * back with the PUBLISH it stored, not with the ack, so a note like 0x10 would otherwise be lost).
 */
export class PublishAcks {
  private readonly waiting = new Set<(error: Error) => void>();
  /** QoS 0 waiters: MQTT.js keeps no copy, so a write still waiting for 'drain' when the socket closes is lost. */
  private readonly volatile = new Set<(error: Error) => void>();
  private readonly codes = new Map<number, number>();

  /** Registers a waiter; call the result when MQTT.js answers: false means it was failed already. */
  track(fail: (error: Error) => void, qos: number): () => boolean {
    this.waiting.add(fail);
    if (qos === 0) this.volatile.add(fail);
    return () => (this.volatile.delete(fail), this.waiting.delete(fail));
  }

  /** The socket closed: QoS 0 writes not yet done will never be (QoS 1/2 stay with MQTT.js, which resends them). */
  failVolatile(error: () => Error): void {
    const lost = [...this.volatile];
    this.volatile.clear();
    for (const fail of lost) if (this.waiting.delete(fail)) fail(error());
  }

  /** Records a non-zero reason code of a received PUBACK or PUBREC. */
  noteAck(packet: Packet): void {
    if ((packet.cmd === 'puback' || packet.cmd === 'pubrec') && packet.reasonCode && packet.messageId !== undefined) this.codes.set(packet.messageId, packet.reasonCode);
  }

  /** The ack's reason code for the packet MQTT.js called back with (each code is taken once). */
  takeCode(packet: unknown): number | undefined {
    const id = typeof packet === 'object' && packet !== null && 'messageId' in packet ? (packet as { messageId?: number }).messageId : undefined;
    if (id === undefined) return undefined;
    const code = this.codes.get(id);
    this.codes.delete(id);
    return code;
  }

  /** Fails every waiter: the client is gone and will not answer. */
  failAll(error: () => Error): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    this.volatile.clear();
    this.codes.clear();
    for (const fail of waiting) fail(error());
  }
}

/** MQTT.js errors that mean the message never reached the broker's decision (sending it later is right). */
export function isConnectionLoss(error: Error): boolean {
  return /connection closed|client disconnecting|no connection to broker/i.test(error.message);
}

/** The answer to a completed publish: "Sent", "Acknowledged in 3 ms", "Completed in 5 ms (No matching subscribers (0x10))". */
export function publishResult(qos: QoS, elapsedMs: number, reasonCode: number | undefined): { qos: QoS; elapsedMs: number; reasonCode?: number; summary: string } {
  const verb = qos === 0 ? 'Sent' : qos === 1 ? `Acknowledged in ${elapsedMs} ms` : `Completed in ${elapsedMs} ms`;
  const note = reasonCode ? ` (${describeReasonCode(reasonCode)})` : '';
  return { qos, elapsedMs, reasonCode: reasonCode || undefined, summary: verb + note };
}
