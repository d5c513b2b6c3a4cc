/**
 * MQTT 5 request/response: publish with a response topic and correlation data, wait on a temporary
 * subscription for the reply that carries the same correlation data, and measure the round trip.
 */
import { protocolVersionNumber } from '../clientOptions';
import { toHex } from '../payload';
import { SessionError, type PublishResult, type Session } from '../session';
import { validateTopicName } from '../topics';
import type { MqttMessage } from '../../shared/mqttMessage';
import type { BuiltPublish } from './publishRequest';

/** Options of {@link requestResponse}. */
export interface RequestOptions {
  /** Topic the responder answers on; default: the request's response topic, else a fresh one for this client. */
  responseTopic?: string;
  /** How long to wait for the reply, in milliseconds. */
  timeoutMs: number;
  /** Random bytes (correlation data, topic suffix); replaceable in tests. */
  randomBytes?: (length: number) => Uint8Array;
  /** Clock; replaceable in tests. */
  now?: () => number;
}

/** The reply to a request. */
export interface RequestOutcome {
  /** What the broker said about the request itself ("Acknowledged in 3 ms"). */
  request: PublishResult;
  /** The reply message. */
  response: MqttMessage;
  /** Milliseconds from sending the request to receiving the reply. */
  rttMs: number;
  responseTopic: string;
  correlationData: Uint8Array;
}

function cryptoBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Resolves with the first message `accept` takes; rejects on timeout or when the session leaves 'connected'. */
function waitForReply(session: Session, accept: (message: MqttMessage) => boolean, timeoutMs: number, timeoutMessage: () => string): { reply: Promise<MqttMessage>; cancel(): void } {
  let cancel = (): void => undefined;
  const reply = new Promise<MqttMessage>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new SessionError(timeoutMessage()))), timeoutMs);
    const onMessage = session.onMessage((message) => accept(message) && finish(() => resolve(message)));
    const onState = session.onState((state) => {
      if (state.kind !== 'connected') finish(() => reject(new SessionError(`The connection to ${session.profile.name} closed while waiting for the response.`)));
    });
    function finish(settle: () => void): void {
      clearTimeout(timer);
      onMessage.dispose();
      onState.dispose();
      settle();
    }
    cancel = () => finish(() => undefined);
  });
  // A timeout while the request is still being sent must not count as an unhandled rejection; it is awaited after.
  reply.catch(() => undefined);
  return { reply, cancel };
}

/**
 * Sends a request and waits for its reply. Needs a connected MQTT 5 session. The response topic is subscribed
 * for the duration of the request unless a subscription to exactly that filter exists already. Rejects with a
 * SessionError whose message is for the user: not connected, not MQTT 5, refused, or no reply in time.
 */
export async function requestResponse(session: Session, built: BuiltPublish, options: RequestOptions): Promise<RequestOutcome> {
  const random = options.randomBytes ?? cryptoBytes;
  const now = options.now ?? Date.now;
  const name = session.profile.name;
  if (session.state.kind !== 'connected') throw new SessionError(`Not connected: ${name} is ${session.state.kind}. Connect first.`);
  if (protocolVersionNumber(session.profile) !== 5) {
    throw new SessionError(`Request/response needs MQTT 5 (response topic and correlation data are MQTT 5 properties); "${name}" uses MQTT ${session.profile.protocolVersion}.`);
  }
  const responseTopic = options.responseTopic ?? built.options.properties?.responseTopic ?? `mqtt-workbench/response/${session.clientId}/${toHex(random(6))}`;
  const topicProblem = validateTopicName(responseTopic);
  if (topicProblem) throw new SessionError(topicProblem.replace(/^Topic/, 'Response topic'));
  const correlationData = built.options.properties?.correlationData ?? random(16);

  const temporary = session.subscriptions.get(responseTopic) === undefined;
  if (temporary) {
    const status = await session.subscribe({ filter: responseTopic, qos: 1 });
    if (status.state === 'refused') {
      session.subscriptions.remove(responseTopic);
      throw new SessionError(`The broker refused the subscription to the response topic "${responseTopic}": ${status.error ?? 'no reason given'}.`);
    }
  }
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  const waiting = waitForReply(
    session,
    (m) => m.topic === responseTopic && sameBytes(m.properties?.correlationData, correlationData),
    options.timeoutMs,
    () => `No response on "${responseTopic}" within ${seconds} s. Check that a responder is running and answers with the same correlation data (${toHex(correlationData)}).`,
  );
  try {
    const started = now();
    const properties = { ...built.options.properties, responseTopic, correlationData };
    const request = await session.publish(built.topic, built.payload, { ...built.options, properties }).catch((error: unknown) => {
      waiting.cancel();
      throw error;
    });
    const response = await waiting.reply;
    return { request, response, rttMs: Math.max(0, response.receivedAt - started), responseTopic, correlationData };
  } finally {
    if (temporary) await session.unsubscribe(responseTopic).catch(() => undefined);
  }
}
