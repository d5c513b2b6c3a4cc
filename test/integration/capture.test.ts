// Record and replay against real mosquitto brokers: 10,000 messages with MQTT 5 properties from two publishers are
// recorded from broker A to a capture file, replayed into broker B with their timing (speed 10), and a subscriber
// on B sees the same topics, payloads, properties and order as the recorder saw on A.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { CaptureFile } from '../../src/core/capture/reader';
import { replaySummaryText, scanReplay, startReplay } from '../../src/core/capture/replay';
import { readReplayRequest } from '../../src/core/capture/replayPlan';
import { CaptureWriter, fileSink } from '../../src/core/capture/writer';
import type { MqttMessage } from '../../src/shared/mqttMessage';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient } from '../helpers/clients';
import { closeSessions, collectMessages, makeSession, waitUntil } from '../helpers/sessions';

const COUNT = 10_000;
afterEach(() => closeSessions());

/**
 * What must survive a record/replay round trip. The broker counts the message expiry interval down while a
 * message waits (MQTT 5, 3.3.2.3.3), so it is compared apart, within a few seconds.
 */
function essence(m: MqttMessage): unknown {
  const { subscriptionIdentifiers: _ids, topicAlias: _alias, messageExpiryInterval: _expiry, ...properties } = m.properties ?? {};
  return { topic: m.topic, payload: Buffer.from(m.payload).toString('hex'), qos: m.qos, properties };
}

describe('record from one broker, replay into another', () => {
  let source: Broker;
  let target: Broker;
  before(async () => {
    [source, target] = await Promise.all([startMosquitto(), startMosquitto()]);
  });
  after(() => Promise.all([source.stop(), target.stop()]));

  test('10,000 messages with v5 properties arrive with the same topics, payloads, properties and order', { timeout: 180_000 }, async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'wb-capture-it-')), 'fleet.mqttcap');
    const recorder = makeSession({ port: source.port, protocolVersion: '5', subscriptions: [{ filter: 'fleet/#', qos: 1 }] });
    const recorded = collectMessages(recorder);
    await recorder.connect();
    await waitUntil(() => recorder.subscriptions.get('fleet/#')?.state === 'active');
    const writer = new CaptureWriter(await fileSink(path), { connection: 'source', broker: `127.0.0.1:${source.port}`, protocolVersion: '5', filters: ['fleet/#'], startedAt: new Date().toISOString(), extension: 'test' });
    const started = performance.now();
    recorder.onMessage((m) => writer.add(m, (performance.now() - started) * 1000));

    const publishers = await Promise.all([0, 1].map(() => connectClient(source.url(), { protocolVersion: 5 })));
    await Promise.all(
      publishers.map(async ({ client }, p) => {
        for (let i = 0; i < COUNT / 2; i++) {
          const payload = i % 7 === 0 ? Buffer.from([0, 255, i & 0xff, p]) : Buffer.from(JSON.stringify({ device: p, i, t: 20 + (i % 10) }));
          const properties = { userProperties: { site: 'lab', seq: [String(i), 'again'] }, contentType: i % 7 === 0 ? 'application/octet-stream' : 'application/json', correlationData: Buffer.from([p, i & 0xff]), responseTopic: `fleet/${p}/reply`, messageExpiryInterval: 3600, payloadFormatIndicator: i % 7 !== 0 };
          await client.publishAsync(`fleet/device-${p}/${i % 5 === 0 ? 'status' : 'telemetry'}`, payload, { qos: 1, properties });
        }
      }),
    );
    await recorded.waitFor(COUNT, 60_000);
    await writer.close();
    await Promise.all(publishers.map(({ client }) => endClient(client)));
    assert.equal(writer.messages, COUNT);
    assert.equal(writer.dropped, 0);

    const file = await CaptureFile.open(path);
    assert.equal(file.count, COUNT);
    const problems: string[] = [];
    const request = readReplayRequest({ speed: 10 }, problems);
    assert.ok(request && problems.length === 0, problems.join('; '));
    const scan = await scanReplay(file, request);
    assert.deepEqual({ messages: scan.messages, problems: scan.problems }, { messages: COUNT, problems: [] });

    const subscriber = makeSession({ port: target.port, protocolVersion: '5', subscriptions: [{ filter: 'fleet/#', qos: 1 }] });
    const replayed = collectMessages(subscriber);
    await subscriber.connect();
    await waitUntil(() => subscriber.subscriptions.get('fleet/#')?.state === 'active');
    const player = makeSession({ port: target.port, protocolVersion: '5' });
    await player.connect();
    const run = startReplay(file, request, (publish) => player.publish(publish.topic, publish.payload, { qos: publish.qos, retain: publish.retain, properties: publish.properties }));
    const summary = await run.done;
    await file.close();
    assert.equal(summary.sent, COUNT);
    assert.equal(summary.failed, 0, summary.firstError);
    assert.match(replaySummaryText(summary), /^Replayed 10,000 messages in \d+\.\d s \(drift p99 \d+ ms\), 0 failed$/);

    const got = await replayed.waitFor(COUNT, 60_000);
    const expected = recorded.messages.map(essence);
    assert.deepEqual(got.map(essence), expected);
    got.forEach((m, i) => {
      const sent = recorded.messages[i].properties?.messageExpiryInterval ?? 0;
      const arrived = m.properties?.messageExpiryInterval ?? -1;
      assert.ok(arrived <= sent && arrived >= sent - 5, `message ${i}: expiry ${arrived} s after replay, ${sent} s as recorded`);
    });
    assert.deepEqual(got[0].properties?.userProperties, [['site', 'lab'], ['seq', '0'], ['seq', 'again']], 'repeated user property keys keep their order');
  });
});
