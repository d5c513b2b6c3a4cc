// Connection health history (bounded, uptime %), $SYS figures of mosquitto, EMQX and aedes, rate estimation,
// and the sparkline SVG.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUCKETS_KEPT, BUCKET_MS, ConnectionHealth } from '../../src/core/monitor/healthHistory';
import { RateWindow, formatRate } from '../../src/core/monitor/rateWindow';
import { applySysMessage, emptyFigures, parseUptime } from '../../src/core/monitor/sysTopics';
import { sparklineSvg } from '../../src/core/monitor/sparkline';
import { RATE_WINDOW_MS, TopicRates } from '../../src/core/monitor/topicRates';
import { TopicTree } from '../../src/core/topicTree';
import type { MqttMessage } from '../../src/shared/mqttMessage';

describe('RateWindow', () => {
  test('counts whole seconds of the window, leaves out the current one, forgets old ones', () => {
    const rate = new RateWindow(5);
    for (let s = 0; s < 5; s++) for (let i = 0; i < 10 * (s + 1); i++) rate.add(s * 1000 + i);
    assert.equal(rate.perSecond(5000), (10 + 20 + 30 + 40 + 50) / 5);
    assert.equal(rate.perSecond(4500), (10 + 20 + 30 + 40) / 5, 'the current second is partial');
    assert.equal(rate.perSecond(20_000), 0);
    assert.deepEqual([formatRate(0.25), formatRate(12.4), formatRate(1530), formatRate(25_000)], ['0.3 msg/s', '12 msg/s', '1.5k msg/s', '25k msg/s']);
  });
});

describe('ConnectionHealth', () => {
  test('state changes, reconnects, uptime % and rates in 10 s buckets', () => {
    const health = new ConnectionHealth('Lab', 0);
    health.state('connected', undefined, 0);
    for (let i = 0; i < 50; i++) health.messageIn(i * 100);
    health.messageOut(500);
    health.state('reconnecting', 'Connection lost', 30_000);
    health.state('connected', undefined, 40_000);
    health.rttSample(12, 41_000);
    health.tick(40_000);
    assert.deepEqual(health.stateChanges().map((c) => c.state), ['connected', 'reconnecting', 'connected']);
    assert.equal(health.reconnects, 1);
    assert.equal(health.uptimePercent(40_000), 75);
    assert.deepEqual(health.inPerSecond.points().map(([, v]) => v), [5, 0, 0, 0]);
    assert.deepEqual(health.outPerSecond.points()[0], [BUCKET_MS, 0.1]);
    assert.equal(health.rtt.last(), 12);
  });

  test('a day and more of buckets stays within the fixed rings', () => {
    const health = new ConnectionHealth('Lab', 0);
    const before = health.approximateBytes;
    health.tick(3 * 86_400_000);
    assert.equal(health.inPerSecond.size, BUCKETS_KEPT);
    assert.equal(health.approximateBytes, before);
  });
});

describe('$SYS figures', () => {
  test('mosquitto', () => {
    const f = emptyFigures();
    for (const [topic, text] of [
      ['$SYS/broker/version', 'mosquitto version 2.0.11'],
      ['$SYS/broker/uptime', '3605 seconds'],
      ['$SYS/broker/clients/total', '9'],
      ['$SYS/broker/clients/connected', '4'],
      ['$SYS/broker/messages/received', '120'],
      ['$SYS/broker/bytes/sent', '4096'],
      ['$SYS/broker/retained messages/count', '12'],
      ['$SYS/broker/subscriptions/count', '7'],
    ]) applySysMessage(f, topic ?? '', text ?? '');
    assert.deepEqual(f, { flavor: 'mosquitto', version: 'mosquitto version 2.0.11', uptimeSeconds: 3605, clientsConnected: 4, messagesReceived: 120, messagesSent: undefined, bytesReceived: undefined, bytesSent: 4096, retained: 12, subscriptions: 7 });
  });

  test('EMQX layout (and NanoMQ following it), aedes-stats', () => {
    const emqx = emptyFigures();
    assert.ok(applySysMessage(emqx, '$SYS/brokers/emqx@127.0.0.1/uptime', '1 days, 2 hours, 3 minutes, 4 seconds'));
    assert.ok(applySysMessage(emqx, '$SYS/brokers/emqx@127.0.0.1/stats/connections/count', '33'));
    assert.ok(applySysMessage(emqx, '$SYS/brokers/emqx@127.0.0.1/metrics/bytes/received', '999'));
    assert.deepEqual([emqx.flavor, emqx.uptimeSeconds, emqx.clientsConnected, emqx.bytesReceived], ['emqx', 93_784, 33, 999]);
    const aedes = emptyFigures();
    assert.ok(applySysMessage(aedes, '$SYS/8b2f/clients/total', '2'));
    assert.ok(applySysMessage(aedes, '$SYS/8b2f/uptime', '61'));
    assert.equal(applySysMessage(aedes, '$SYS/broker/bytes/sent', '1'), false, 'one broker is one flavor');
    assert.equal(applySysMessage(aedes, '$SYS/8b2f/clients/total', 'many'), false);
    assert.deepEqual([aedes.flavor, aedes.clientsConnected, aedes.uptimeSeconds], ['aedes', 2, 61]);
    assert.equal(parseUptime('soon'), undefined);
  });
});

test('sparkline: a polyline scaled into the icon, a safe color only', () => {
  assert.match(sparklineSvg([0, 10], '#1a85ff'), /points="1\.50,14\.50 14\.50,1\.50"/);
  assert.match(sparklineSvg([3], 'red;"onload'), /stroke="#888888"/);
});

describe('TopicRates', () => {
  const message = (topic: string, receivedAt: number): MqttMessage => ({ topic, payload: new Uint8Array(1), qos: 0, retain: false, dup: false, receivedAt, seq: 0, direction: 'in' });

  test('per node and branch, per full window, decaying when quiet; the tree sorts busiest first', () => {
    const tree = new TopicTree();
    const rates = new TopicRates();
    const node = (topic: string) => tree.find(topic) ?? assert.fail(topic);
    const all = ['a', 'a/flood', 'a/calm', 'b', 'b/calm'];
    // 50 msg/s on a/flood, 2 msg/s on a/calm and b/calm, for two windows; the rows are read (drawn) each second.
    for (let t = 0; t <= 2 * RATE_WINDOW_MS; t += 20) {
      tree.add(message('a/flood', t));
      if (t % 500 === 0) for (const topic of ['a/calm', 'b/calm']) tree.add(message(topic, t));
      if (t % 1000 === 0) for (const topic of all) rates.perSecond(node(topic), t);
    }
    const now = 2 * RATE_WINDOW_MS;
    assert.equal(Math.round(rates.perSecond(node('a/flood'), now)), 50);
    assert.equal(Math.round(rates.perSecond(node('a'), now)), 52);
    assert.equal(Math.round(rates.perSecond(node('b/calm'), now)), 2);
    assert.deepEqual(tree.children(tree.root, 'rate', (n) => rates.perSecond(n, now)).map((n) => n.level), ['a', 'b']);
    assert.deepEqual(tree.children(node('a'), 'rate', (n) => rates.perSecond(n, now)).map((n) => n.level), ['flood', 'calm']);
    assert.ok(rates.perSecond(node('a/flood'), now + 60_000) < 5, 'a quiet topic decays');
    assert.equal(rates.perSecond(node('a/flood'), now + 120_000), 0, 'and is at rest after a window without messages');
  });

  test('a node is counted from the first time it is asked about: 0 until one window has passed', () => {
    const tree = new TopicTree();
    const rates = new TopicRates();
    for (let t = 0; t < 1000; t++) tree.add(message('busy', t));
    const busy = tree.find('busy') ?? assert.fail('busy');
    assert.equal(rates.perSecond(busy, 1000), 0, 'first asked: no window has passed yet');
    for (let t = 1000; t < 1000 + RATE_WINDOW_MS; t += 10) tree.add(message('busy', t));
    assert.equal(rates.perSecond(busy, 1000 + RATE_WINDOW_MS - 1), 0, 'still inside its first window');
    assert.equal(rates.perSecond(busy, 1000 + RATE_WINDOW_MS), 100, '500 messages in 5 s, not the 1,000 before it was asked');
  });
});
