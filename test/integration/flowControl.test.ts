// MQTT 5 flow control against a real mosquitto: a burst larger than the broker's Receive Maximum completes
// in order instead of being refused with "Quota exceeded (0x97)", and publishes beyond the CONNACK's
// Maximum QoS, Retain Available and Topic Alias Maximum are refused by name while the connection stays up.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startMosquitto, type Broker } from '../helpers/broker';
import { closeSessions, collectMessages, failureMessage, makeSession, waitUntil } from '../helpers/sessions';

afterEach(() => closeSessions());

describe('Receive Maximum', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  test('50 QoS 2 publishes fired at once all complete, in order (mosquitto grants a Receive Maximum of 20)', { timeout: 30_000 }, async () => {
    const watcher = makeSession({ port: broker.port, protocolVersion: '5', subscriptions: [{ filter: 'burst/#', qos: 2 }] });
    const inbox = collectMessages(watcher);
    await watcher.connect();
    await waitUntil(() => watcher.subscriptions.get('burst/#')?.state === 'active');
    const session = makeSession({ port: broker.port, protocolVersion: '5' });
    await session.connect();
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => session.publish('burst/q2', String(i), { qos: 2 })));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason instanceof Error ? o.reason.message : o.reason)] : []));
    assert.deepEqual(refused, [], 'no publish is refused for exceeding the broker quota');
    for (const o of outcomes) assert.ok(o.status === 'fulfilled' && /^Completed in \d+ ms$/.test(o.value.summary));
    const received = await inbox.waitFor(50);
    assert.deepEqual(received.map((m) => Buffer.from(m.payload).toString()), Array.from({ length: 50 }, (_, i) => String(i)), 'they arrive in the order they were published');
    assert.equal(session.state.kind, 'connected');
  });
});

describe('Receive Maximum when the connection goes', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ extraConfig: ['max_inflight_messages 5'] });
  });
  after(async () => {
    broker.resume();
    await broker.stop();
  });

  test('publishes still waiting for a place are not sent, and say so (the outbox keeps such messages)', { timeout: 30_000 }, async () => {
    const session = makeSession({ port: broker.port, protocolVersion: '5' });
    await session.connect();
    broker.pause(); // nothing is acknowledged: 5 publishes hold every place, the other 3 wait
    const outcomes = Array.from({ length: 8 }, (_, i) => session.publish('gone/q1', String(i), { qos: 1 }).then(() => 'sent', (error: Error) => error.message));
    await session.disconnect();
    broker.resume();
    const messages = await Promise.all(outcomes);
    assert.deepEqual(messages.slice(0, 5), Array(5).fill('The connection to test closed before the broker acknowledged the message.'));
    assert.deepEqual(messages.slice(5), Array(3).fill("The connection to test closed while the message waited for a free place under the broker's Receive Maximum; it was not sent."));
  });
});

describe('Maximum QoS, Retain Available, Topic Alias Maximum', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ extraConfig: ['max_qos 1', 'retain_available false', 'max_topic_alias 2'] });
  });
  after(() => broker.stop());

  test('each is refused with a sentence before it reaches the broker, and the connection stays up', { timeout: 30_000 }, async () => {
    const session = makeSession({ port: broker.port, protocolVersion: '5' });
    await session.connect();
    assert.equal(
      await failureMessage(session.publish('limits/a', 'x', { qos: 2 })),
      'The broker accepts at most QoS 1 (Maximum QoS in its CONNACK); this QoS 2 message was not sent. Publish it with QoS 0 or 1.',
    );
    assert.equal(
      await failureMessage(session.publish('limits/a', 'x', { qos: 1, retain: true })),
      'The broker keeps no retained messages (Retain Available is 0 in its CONNACK); this message was not sent. Publish it without retain.',
    );
    assert.equal(
      await failureMessage(session.publish('limits/a', 'x', { qos: 1, properties: { topicAlias: 3 } })),
      "Topic alias 3 is above the broker's Topic Alias Maximum (2); this message was not sent. Use an alias from 1 to 2.",
    );
    assert.match((await session.publish('limits/a', 'x', { qos: 1, properties: { topicAlias: 2 } })).summary, /^Acknowledged in \d+ ms/);
    assert.equal(session.state.kind, 'connected', 'nothing made the broker close the connection');
  });
});
