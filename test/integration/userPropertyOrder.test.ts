// The limit README "MQTT 5 flow control and limits" documents, pinned against a real mosquitto: mosquitto_pub
// sends user properties k=v, x=y, k=v2, 7=n in that order, and MQTT.js's parser (mqtt-packet) keeps them in an
// object keyed by name, so they arrive grouped by name, integer-like names first. Every name and value is kept.
// If MQTT.js ever keeps the wire order, this fails and the README paragraph must change with it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, afterEach, before, describe, test } from 'node:test';
import { startMosquitto, type Broker } from '../helpers/broker';
import { closeSessions, collectMessages, makeSession, waitUntil } from '../helpers/sessions';

afterEach(() => closeSessions());

describe('user property order', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  test('properties sent as k=v, x=y, k=v2, 7=n arrive grouped by name, integer-like names first', { timeout: 30_000 }, async () => {
    const session = makeSession({ port: broker.port, protocolVersion: '5', subscriptions: [{ filter: 'order/#', qos: 1 }] });
    const inbox = collectMessages(session);
    await session.connect();
    await waitUntil(() => session.subscriptions.get('order/#')?.state === 'active');
    const property = (name: string, value: string) => ['-D', 'publish', 'user-property', name, value];
    await promisify(execFile)('/usr/bin/mosquitto_pub', [
      '-h', '127.0.0.1', '-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'order/a', '-m', 'x',
      ...property('k', 'v'), ...property('x', 'y'), ...property('k', 'v2'), ...property('7', 'n'),
    ], { timeout: 10_000 });
    const [message] = await inbox.waitFor(1);
    assert.deepEqual(message.properties?.userProperties, [['7', 'n'], ['k', 'v'], ['k', 'v2'], ['x', 'y']]);
  });
});
