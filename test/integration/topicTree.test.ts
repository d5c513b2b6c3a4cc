// The topic tree fed by a real Session from mosquitto, and clearing a retained subtree for real.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { clearRetained } from '../../src/core/retainedCleaner';
import { TopicTree } from '../../src/core/topicTree';
import { startMosquitto, type Broker } from '../helpers/broker';
import { closeSessions, collectMessages, makeSession, waitUntil } from '../helpers/sessions';

afterEach(() => closeSessions());

describe('topic tree from a live broker', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  test('1,000 messages over 100 topics give the right counts and retained flags', async () => {
    // Retain As Published (MQTT 5): live messages keep their retain flag, so the tree can mark them.
    const watcher = makeSession({ port: broker.port, subscriptions: [{ filter: '#', qos: 1, retainAsPublished: true }] });
    const tree = new TopicTree();
    watcher.onMessage((m) => tree.add(m));
    await watcher.connect();
    await waitUntil(() => watcher.subscriptions.get('#')?.state === 'active');

    const publisher = makeSession({ port: broker.port });
    await publisher.connect();
    // 100 topics plant/line<L>/cell<C>/sensor<S>; the 10 "status" topics are retained.
    const topics = Array.from({ length: 100 }, (_, i) => (i < 10 ? `plant/line${i}/status` : `plant/line${i % 10}/cell${Math.floor(i / 10)}/temp`));
    for (let n = 0; n < 1000; n++) {
      const topic = topics[n % 100];
      await publisher.publish(topic, JSON.stringify({ n }), { qos: 1, retain: topic.endsWith('/status') });
    }
    await waitUntil(() => tree.root.totalMessages >= 1000, 20_000);

    assert.equal(tree.size, 100);
    assert.equal(tree.root.totalMessages, 1000);
    assert.equal(tree.find('plant')?.topicCount, 100);
    assert.equal(tree.find('plant/line3')?.topicCount, 10, 'line3 has its status and 9 cells');
    assert.equal(tree.find('plant/line3')?.totalMessages, 100);
    assert.equal(tree.find('plant/line3/cell4/temp')?.messageCount, 10);
    assert.equal(tree.find('plant')?.retainedCount, 10);
    assert.equal(tree.find('plant/line0/status')?.retained, true);
    assert.equal(tree.find('plant/line0/cell1/temp')?.retained, false);
    assert.deepEqual(JSON.parse(Buffer.from(tree.find('plant/line9/cell9/temp')?.lastMessage?.payload ?? []).toString()), { n: 999 });
  });

  test('clearing a retained subtree leaves a fresh subscriber with no retained message', async () => {
    const publisher = makeSession({ port: broker.port });
    await publisher.connect();
    const retainedTopics = Array.from({ length: 40 }, (_, i) => `fleet/dev${i}/config`);
    for (const topic of retainedTopics) await publisher.publish(topic, 'v1', { qos: 1, retain: true });
    await publisher.publish('keep/me', 'stays', { qos: 1, retain: true });

    const viewer = makeSession({ port: broker.port, subscriptions: [{ filter: '#', qos: 1 }] });
    const tree = new TopicTree();
    viewer.onMessage((m) => tree.add(m));
    await viewer.connect();
    await waitUntil(() => tree.size >= 41);
    const fleet = tree.find('fleet');
    assert.ok(fleet);
    const toClear = tree.retainedTopicsUnder(fleet);
    assert.equal(toClear.length, 40);

    let inFlight = 0;
    let maxInFlight = 0;
    const progress: number[] = [];
    const summary = await clearRetained(
      toClear,
      async (topic) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          await viewer.publish(topic, new Uint8Array(0), { qos: 1, retain: true });
        } finally {
          inFlight--;
        }
      },
      { concurrency: 8, onProgress: (done) => progress.push(done) },
    );
    assert.deepEqual(summary, { cleared: 40, failed: [], skipped: 0 });
    assert.ok(maxInFlight <= 8 && maxInFlight > 1, `bounded concurrency (max in flight ${maxInFlight})`);
    assert.equal(progress.at(-1), 40);

    const fresh = makeSession({ port: broker.port, subscriptions: [{ filter: '#', qos: 1 }] });
    const inbox = collectMessages(fresh);
    await fresh.connect();
    await waitUntil(() => fresh.subscriptions.get('#')?.state === 'active');
    await inbox.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(inbox.messages.map((m) => m.topic).filter((t) => !t.startsWith('plant/')), ['keep/me'], 'only the retained message outside the subtree is left');
  });
});
