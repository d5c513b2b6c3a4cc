// MQTT 5 request/response against a real mosquitto with a responder client: the reply with its round-trip
// time, replies with other correlation data ignored, the timeout sentence, and MQTT 3.1.1 refused.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { requestResponse } from '../../src/core/publish/requestResponse';
import type { BuiltPublish } from '../../src/core/publish/publishRequest';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient } from '../helpers/clients';
import { closeSessions, failureMessage, makeSession, waitUntil } from '../helpers/sessions';

afterEach(() => closeSessions());

const request = (topic: string, payload: string): BuiltPublish => ({ topic, payload: new TextEncoder().encode(payload), options: { qos: 1, retain: false } });

/** A device that answers every request on `filter` on its response topic: first a decoy with other correlation data, then the real reply. */
async function responder(url: string, filter: string): Promise<MqttClient> {
  const { client } = await connectClient(url, { protocolVersion: 5 });
  await client.subscribeAsync(filter, { qos: 1 });
  client.on('message', (_topic, payload, packet) => {
    const responseTopic = packet.properties?.responseTopic;
    const correlationData = packet.properties?.correlationData;
    if (!responseTopic || !correlationData) return;
    client.publish(responseTopic, 'decoy', { qos: 1, properties: { correlationData: Buffer.from('other') } });
    client.publish(responseTopic, `echo:${payload.toString()}`, { qos: 1, properties: { correlationData } });
  });
  return client;
}

describe('request/response', () => {
  let broker: Broker;
  let device: MqttClient;
  before(async () => {
    broker = await startMosquitto();
    device = await responder(broker.url(), 'svc/echo');
  });
  after(async () => {
    await endClient(device);
    await broker.stop();
  });

  test('the matching reply comes back with its round-trip time; the temporary subscription is removed', async () => {
    const session = makeSession({ port: broker.port });
    await session.connect();
    const outcome = await requestResponse(session, request('svc/echo', 'ping'), { timeoutMs: 5000 });
    assert.equal(Buffer.from(outcome.response.payload).toString(), 'echo:ping');
    assert.match(outcome.responseTopic, /^mqtt-workbench\/response\/wb-test-[0-9a-f]+\/[0-9a-f]{12}$/);
    assert.equal(outcome.response.topic, outcome.responseTopic);
    assert.equal(outcome.correlationData.length, 16);
    assert.ok(outcome.rttMs >= 0 && outcome.rttMs < 5000, `rtt ${outcome.rttMs}`);
    assert.match(outcome.request.summary, /^Acknowledged in \d+ ms$/);
    await waitUntil(() => session.subscriptions.list().length === 0);
  });

  test('a chosen response topic and correlation data are used as given', async () => {
    const session = makeSession({ port: broker.port });
    await session.connect();
    const built = request('svc/echo', 'hello');
    built.options.properties = { correlationData: new Uint8Array([1, 2, 3]) };
    const outcome = await requestResponse(session, built, { timeoutMs: 5000, responseTopic: 'replies/me' });
    assert.equal(outcome.response.topic, 'replies/me');
    assert.deepEqual([...outcome.correlationData], [1, 2, 3]);
    assert.equal(Buffer.from(outcome.response.payload).toString(), 'echo:hello');
  });

  test('no responder: the timeout says where it waited', async () => {
    const session = makeSession({ port: broker.port });
    await session.connect();
    const built = request('svc/nobody', 'x');
    built.options.properties = { correlationData: new Uint8Array([0xab]) };
    const message = await failureMessage(requestResponse(session, built, { timeoutMs: 300, responseTopic: 'replies/none' }));
    assert.equal(message, 'No response on "replies/none" within 0.3 s. Check that a responder is running and answers with the same correlation data (ab).');
    await waitUntil(() => session.subscriptions.list().length === 0);
  });

  test('MQTT 3.1.1 and a disconnected session are refused with the reason', async () => {
    const old = makeSession({ port: broker.port, protocolVersion: '3.1.1' });
    await old.connect();
    assert.equal(
      await failureMessage(requestResponse(old, request('svc/echo', 'x'), { timeoutMs: 1000 })),
      'Request/response needs MQTT 5 (response topic and correlation data are MQTT 5 properties); "test" uses MQTT 3.1.1.',
    );
    const idle = makeSession({ port: broker.port });
    assert.equal(await failureMessage(requestResponse(idle, request('svc/echo', 'x'), { timeoutMs: 1000 })), 'Not connected: test is disconnected. Connect first.');
  });
});
