// The offline queue against a real mosquitto: messages published while the broker is down arrive once and
// in order after it is back; a saved queue drains from a new Session and Outbox; a connection cut in the
// middle of a drain loses nothing and repeats at most what was in flight.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { Outbox } from '../../src/core/publish/outbox';
import type { BuiltPublish } from '../../src/core/publish/publishRequest';
import type { QoS } from '../../src/shared/mqttMessage';
import { startMosquitto, type Broker } from '../helpers/broker';
import { directoryStorage } from '../helpers/outboxStorage';
import { closeSessions, collectMessages, makeSession, waitForState, waitUntil } from '../helpers/sessions';
import { startTcpProxy } from '../helpers/tcpProxy';

afterEach(() => closeSessions());

const settings = () => ({ maxMessages: 10_000, persistQos0: false });
const fast = { initialDelay: 200, maxDelay: 500, jitter: 0 };
const message = (topic: string, payload: string, qos: QoS): BuiltPublish => ({ topic, payload: new TextEncoder().encode(payload), options: { qos, retain: false } });

/**
 * A persistent subscriber: its session (and queued messages) survive broker restarts. It subscribes at QoS 1:
 * a QoS 2 delivery reaches the application only at PUBREL, so a QoS 1 message behind it would seem to overtake it.
 */
async function persistentSubscriber(port: number, clientId: string, filter: string): Promise<ReturnType<typeof collectMessages>> {
  const session = makeSession({ port, clientId, cleanStart: false, sessionExpiryInterval: 600, reconnect: fast, subscriptions: [{ filter, qos: 1 }] }, { clientId });
  const inbox = collectMessages(session);
  await session.connect();
  await waitUntil(() => session.subscriptions.get(filter)?.state === 'active');
  return inbox;
}

const texts = (inbox: ReturnType<typeof collectMessages>) => inbox.messages.map((m) => Buffer.from(m.payload).toString());

describe('offline queue with a broker that goes away', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ persistence: true });
  });
  after(() => broker.stop());

  test('published while the broker is down: queued, then every message arrives once and in order', async () => {
    const inbox = await persistentSubscriber(broker.port, 'wb-sub-down', 'down/#');
    const proxy = await startTcpProxy(broker.port);
    const session = makeSession({ port: proxy.port, reconnect: fast });
    await session.connect();
    const outbox = new Outbox('test', directoryStorage(await mkdtemp(join(tmpdir(), 'wb-outbox-')), 'test'), settings);
    outbox.attach(session);
    await broker.stop();
    await waitForState(session, 'reconnecting');
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await outbox.submit(message(`down/${i}`, `m${i}`, (i % 3) as QoS)));
    assert.deepEqual(results, Array.from({ length: 30 }, (_, i) => ({ queued: i + 1 })));
    await broker.restart();
    await waitUntil(() => outbox.size === 0, 20_000);
    await inbox.waitFor(30, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    const expected = Array.from({ length: 30 }, (_, i) => `m${i}`);
    assert.deepEqual(texts(inbox), expected, 'each once, in order');
    const sent = proxy.sent.flatMap((p) => (p.cmd === 'publish' ? [Buffer.from(p.payload).toString()] : []));
    assert.deepEqual(sent, expected, 'on the wire: each PUBLISH once, in order');
    await proxy.close();
  });

  test('a saved queue drains from a new Session and a new Outbox over the same directory', async () => {
    const inbox = await persistentSubscriber(broker.port, 'wb-sub-saved', 'saved/#');
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    const before = new Outbox('test', directoryStorage(dir, 'test'), settings);
    for (let i = 0; i < 100; i++) await before.submit(message(`saved/${i}`, `s${i}`, i % 2 === 0 ? 1 : 2));
    await before.submit(message('saved/qos0', 'kept only in memory', 0));
    await before.flush();
    before.dispose();

    const after = new Outbox('test', directoryStorage(dir, 'test'), settings);
    assert.deepEqual(await after.restored(), { restored: 100, problems: [] });
    const session = makeSession({ port: broker.port });
    after.attach(session);
    await session.connect();
    await waitUntil(() => after.size === 0, 20_000);
    await inbox.waitFor(100, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(texts(inbox), Array.from({ length: 100 }, (_, i) => `s${i}`));
    assert.deepEqual(await directoryStorage(dir, 'test').load(), [], 'the saved queue is empty once acknowledged');
  });
});

describe('offline queue with a connection cut while draining', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  test('the drain stops, resumes on reconnect, loses nothing, keeps the order, repeats at most what was in flight', async () => {
    const watcher = makeSession({ port: broker.port, subscriptions: [{ filter: 'cut/#', qos: 1 }] });
    const inbox = collectMessages(watcher);
    await watcher.connect();
    await waitUntil(() => watcher.subscriptions.get('cut/#')?.state === 'active');

    const proxy = await startTcpProxy(broker.port);
    try {
      const session = makeSession({ port: proxy.port, reconnect: fast });
      const outbox = new Outbox('test', directoryStorage(await mkdtemp(join(tmpdir(), 'wb-outbox-')), 'test'), settings);
      outbox.attach(session);
      const count = 3000;
      for (let i = 0; i < count; i++) await outbox.submit(message('cut/n', String(i), 1));
      await session.connect();
      await waitUntil(() => inbox.messages.length >= 300);
      proxy.cutAll();
      const sizeAtCut = outbox.size;
      await waitForState(session, 'reconnecting');
      assert.ok(sizeAtCut > 0, 'the cut came while messages were still waiting');
      await waitUntil(() => outbox.size === 0, 30_000);
      await waitUntil(() => new Set(texts(inbox)).size === count, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      const received = texts(inbox).map(Number);
      const firsts = received.filter((n, i) => received.indexOf(n) === i);
      assert.deepEqual(firsts, Array.from({ length: count }, (_, i) => i), 'every message, first seen in order');
      const repeats = received.length - count;
      assert.ok(repeats <= 8, `only messages in flight at the cut may repeat (QoS 1 redelivery): ${repeats}`);
    } finally {
      await proxy.close();
    }
  });
});

describe('offline queue while the connection is up', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  test('a burst of 50 QoS 2 publishes while connected: each gets the broker answer, none is reported queued', { timeout: 60_000 }, async () => {
    const session = makeSession({ port: broker.port, protocolVersion: '5' });
    await session.connect();
    const outbox = new Outbox('test', directoryStorage(await mkdtemp(join(tmpdir(), 'wb-outbox-')), 'test'), settings);
    outbox.attach(session);
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => outbox.submit(message('burst/q2', String(i), 2))));
    const queued = outcomes.filter((o) => 'queued' in o);
    assert.deepEqual(queued, [], 'the connection was up the whole time');
    for (const o of outcomes) assert.ok('summary' in o && /^Completed in \d+ ms/.test(o.summary), JSON.stringify(o));
    assert.equal(outbox.size, 0);
  });

  test('a publish the broker refuses while connected is a refusal for the publisher, not a queued message', { timeout: 60_000 }, async () => {
    const session = makeSession({ port: broker.port, protocolVersion: '5' });
    await session.connect();
    const outbox = new Outbox('test', directoryStorage(await mkdtemp(join(tmpdir(), 'wb-outbox-')), 'test'), settings);
    outbox.attach(session);
    const settled: Array<{ topic: string; queued: boolean; error?: string }> = [];
    outbox.onSettled(({ entry, queued, error }) => settled.push({ topic: entry.topic, queued, error: error?.message }));
    // Behind a QoS 2 message in flight (the drain sends one alone), the refused one had to wait its turn.
    const first = outbox.submit(message('sys/ok', 'first', 2));
    await assert.rejects(outbox.submit(message('$SYS/x', 'refused', 1)), { message: 'Not authorized (0x87)' });
    assert.ok('summary' in (await first));
    assert.deepEqual(settled, [{ topic: 'sys/ok', queued: false, error: undefined }, { topic: '$SYS/x', queued: false, error: 'Not authorized (0x87)' }]);
  });
});
