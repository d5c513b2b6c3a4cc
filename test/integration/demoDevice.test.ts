// The demo device against a real mosquitto: JSON and CBOR telemetry every interval, a retained status with a
// retained "offline" will, and MQTT 5 requests answered on their response topic with their correlation data.
import assert from 'node:assert/strict';
import { decode } from 'cbor-x';
import { after, afterEach, before, describe, test } from 'node:test';
import { LocalBroker } from '../../src/core/localBroker';
import { DEMO_TOPICS, startDemoDevice, type DemoDevice } from '../../src/demo/demoDevice';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient, type Connected, type Received } from '../helpers/clients';
import { startTcpProxy } from '../helpers/tcpProxy';

let broker: Broker;
const devices: DemoDevice[] = [];
const clients: Connected[] = [];

before(async () => {
  broker = await startMosquitto();
});
after(() => broker.stop());
afterEach(async () => {
  await Promise.all(devices.splice(0).map((device) => device.stop()));
  await Promise.all(clients.splice(0).map(({ client }) => endClient(client)));
});

function device(url = broker.url(), protocolVersion: 4 | 5 = 5): DemoDevice {
  const started = startDemoDevice(url, { intervalMs: 100, protocolVersion });
  devices.push(started);
  return started;
}

async function watcher(filter: string): Promise<Connected> {
  const connected = await connectClient(broker.url(), { protocolVersion: 5 });
  clients.push(connected);
  await connected.client.subscribeAsync(filter, { qos: 1 });
  return connected;
}

/** Waits until a message on `topic` satisfying `accept` arrived. */
async function messageOn(watch: Connected, topic: string, accept: (m: Received) => boolean = () => true): Promise<Received> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = watch.inbox.messages.find((m) => m.topic === topic && accept(m));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No message on ${topic}; got ${[...new Set(watch.inbox.messages.map((m) => m.topic))].join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('demo device', () => {
  test('publishes JSON telemetry, a counter and a CBOR reading, with MQTT 5 content types', async () => {
    const watch = await watcher('demo/greenhouse/#');
    device();
    for (const topic of [DEMO_TOPICS.temperature, DEMO_TOPICS.humidity, DEMO_TOPICS.soilTemperature]) {
      const message = await messageOn(watch, topic);
      const reading = JSON.parse(message.payload.toString()) as { value: unknown; unit: unknown; ts: unknown };
      assert.equal(typeof reading.value, 'number', `${topic} value`);
      assert.ok(reading.unit === 'C' || reading.unit === '%', `${topic} unit`);
      assert.ok(typeof reading.ts === 'number' && Math.abs(reading.ts - Date.now()) < 60_000, `${topic} ts`);
      assert.equal(message.packet.properties?.contentType, 'application/json');
    }
    const counts = async (): Promise<number[]> => {
      await messageOn(watch, DEMO_TOPICS.counter, (m) => (JSON.parse(m.payload.toString()) as { value: number }).value >= 3);
      return watch.inbox.messages.filter((m) => m.topic === DEMO_TOPICS.counter).map((m) => (JSON.parse(m.payload.toString()) as { value: number }).value);
    };
    assert.deepEqual((await counts()).slice(0, 3), [1, 2, 3], 'the counter counts up from 1');
    const cbor = await messageOn(watch, DEMO_TOPICS.cbor);
    assert.equal(cbor.packet.properties?.contentType, 'application/cbor');
    const decoded = decode(cbor.payload) as Record<string, unknown>;
    assert.deepEqual(Object.keys(decoded).sort(), ['humidity', 'temperature', 'ts']);
    assert.equal(typeof decoded.temperature, 'number');
  });

  test('the status is retained "online"; stop sets it to "offline"', async () => {
    const demo = device();
    await demo.ready;
    await waitForRetained('online');
    await demo.stop();
    await waitForRetained('offline');
  });

  test('the will sets the retained status to "offline" when the device drops off the network', async () => {
    const proxy = await startTcpProxy(broker.port);
    try {
      await device(`mqtt://127.0.0.1:${proxy.port}`).ready;
      await waitForRetained('online');
      await proxy.close(); // cuts the connection without a DISCONNECT, and the device cannot come back
      await waitForRetained('offline');
    } finally {
      await proxy.close();
    }
  });

  test('answers an MQTT 5 request on its response topic with the same correlation data', async () => {
    await device().ready;
    const requester = await watcher('replies/#');
    const correlationData = Buffer.from([0x00, 0xfe, 0x42, 0x17]);
    await requester.client.publishAsync('demo/greenhouse/cmd/led', '{"on":true}', { qos: 1, properties: { responseTopic: 'replies/led', correlationData } });
    const [reply] = await requester.inbox.waitFor(1);
    assert.equal(reply.topic, 'replies/led');
    assert.deepEqual(JSON.parse(reply.payload.toString()), { ok: true, echo: { on: true } });
    assert.deepEqual(reply.packet.properties?.correlationData, correlationData);
  });

  test('a request without a response topic is answered on demo/greenhouse/response/<command>', async () => {
    await device().ready;
    const requester = await watcher(`${DEMO_TOPICS.responses}/#`);
    await requester.client.publishAsync('demo/greenhouse/cmd/fan', 'fast', { qos: 1 });
    const [reply] = await requester.inbox.waitFor(1);
    assert.equal(reply.topic, 'demo/greenhouse/response/fan');
    assert.deepEqual(JSON.parse(reply.payload.toString()), { ok: true, echo: 'fast' });
  });

  test('with MQTT 3.1.1 it runs against the embedded local broker, as `npm start` does', async () => {
    const local = new LocalBroker();
    const address = await local.start({ port: 0, host: '127.0.0.1' });
    try {
      const watch = await connectClient(address.url, { protocolVersion: 4 });
      clients.push(watch);
      await watch.client.subscribeAsync('demo/greenhouse/#', { qos: 1 });
      await device(address.url, 4).ready;
      const status = await messageOn(watch, DEMO_TOPICS.status);
      assert.equal(status.payload.toString(), 'online');
      await messageOn(watch, DEMO_TOPICS.temperature);
      await watch.client.publishAsync('demo/greenhouse/cmd/ping', '1', { qos: 1 });
      const reply = await messageOn(watch, 'demo/greenhouse/response/ping');
      assert.deepEqual(JSON.parse(reply.payload.toString()), { ok: true, echo: 1 });
    } finally {
      await Promise.all(devices.splice(0).map((d) => d.stop()));
      await local.stop();
    }
  });
});

/** Subscribes afresh (so only the retained message arrives) until the retained status is `expected`. */
async function waitForRetained(expected: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = await connectClient(broker.url(), { protocolVersion: 5 });
    await probe.client.subscribeAsync(DEMO_TOPICS.status, { qos: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const retained = probe.inbox.messages.find((m) => m.packet.retain);
    await endClient(probe.client);
    if (retained?.payload.toString() === expected) return;
    if (Date.now() > deadline) throw new Error(`The retained status stayed ${JSON.stringify(retained?.payload.toString())}, not ${JSON.stringify(expected)}.`);
  }
}
