// The embedded broker (aedes) as MQTT.js clients see it: TCP and WebSocket listeners, pub/sub and retained
// messages, the sentence for a busy port, and a stop that disconnects everyone and frees the ports.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { LocalBroker, LocalBrokerError, type LocalBrokerAddress } from '../../src/core/localBroker';
import { connectClient, endClient, type Connected } from '../helpers/clients';
import { acceptsConnections, freePort, listenAddresses } from '../helpers/ports';
import { closeSessions, failureMessage, makeSession, waitUntil } from '../helpers/sessions';

const brokers: LocalBroker[] = [];
const clients: Connected[] = [];

afterEach(async () => {
  for (const { client } of clients.splice(0)) client.end(true);
  closeSessions();
  await Promise.all(brokers.splice(0).map((broker) => broker.stop()));
});

async function startBroker(options: { port?: number; wsPort?: number } = {}): Promise<{ broker: LocalBroker; address: LocalBrokerAddress }> {
  const broker = new LocalBroker();
  brokers.push(broker);
  const address = await broker.start({ port: options.port ?? (await freePort()), host: '127.0.0.1', wsPort: options.wsPort });
  return { broker, address };
}

async function client(url: string): Promise<Connected> {
  const connected = await connectClient(url, { protocolVersion: 4 });
  clients.push(connected);
  return connected;
}

describe('LocalBroker', () => {
  test('TCP and WebSocket clients exchange messages; the client count follows them', async () => {
    const wsPort = await freePort();
    const { broker, address } = await startBroker({ wsPort });
    assert.equal(address.url, `mqtt://127.0.0.1:${address.port}`);
    assert.equal(address.wsUrl, `ws://127.0.0.1:${wsPort}/mqtt`);
    assert.deepEqual(listenAddresses(address.port), ['127.0.0.1'], 'bound to loopback only');
    let changes = 0;
    broker.onChange(() => changes++);

    const tcp = await client(address.url);
    const ws = await client(`ws://127.0.0.1:${wsPort}/mqtt`);
    await waitUntil(() => broker.clientCount === 2);
    assert.ok(changes >= 2, 'onChange fired for the connects');
    await tcp.client.subscribeAsync('lab/#', { qos: 1 });
    await ws.client.subscribeAsync('lab/#', { qos: 1 });
    await tcp.client.publishAsync('lab/from-tcp', 'over tcp', { qos: 1 });
    await ws.client.publishAsync('lab/from-ws', 'over ws', { qos: 1 });
    for (const { inbox } of [tcp, ws]) {
      const received = await inbox.waitFor(2);
      assert.deepEqual(received.map((m) => `${m.topic}=${m.payload.toString()}`).sort(), ['lab/from-tcp=over tcp', 'lab/from-ws=over ws']);
    }
    await endClient(ws.client);
    await waitUntil(() => broker.clientCount === 1); // the WebSocket client left
  });

  test('a retained message reaches a later subscriber with the retain flag; an empty one clears it', async () => {
    const { address } = await startBroker();
    const publisher = await client(address.url);
    await publisher.client.publishAsync('lab/status', 'online', { qos: 1, retain: true });
    const late = await client(address.url);
    await late.client.subscribeAsync('lab/status', { qos: 1 });
    const [message] = await late.inbox.waitFor(1);
    assert.equal(message.payload.toString(), 'online');
    assert.equal(message.packet.retain, true);

    await publisher.client.publishAsync('lab/status', '', { qos: 1, retain: true });
    const later = await client(address.url);
    await later.client.subscribeAsync('lab/status', { qos: 1 });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(later.inbox.messages.length, 0, 'nothing retained any more');
  });

  test('a second broker on the same port fails with the exact sentence and leaves nothing open', async () => {
    const { address } = await startBroker();
    const second = new LocalBroker();
    brokers.push(second);
    const wsPort = await freePort();
    const error = await second.start({ port: address.port, host: '127.0.0.1', wsPort }).then(
      () => assert.fail('the second start must fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof LocalBrokerError);
    assert.equal(error.message, `Port ${address.port} on 127.0.0.1 is already in use. Stop the other broker or choose another port in the setting mqttWorkbench.localBroker.port.`);
    assert.equal(error.code, 'EADDRINUSE');
    assert.equal(second.address, undefined);
    assert.equal(await acceptsConnections('127.0.0.1', wsPort, 300), false, 'the WebSocket listener was not opened');
  });

  test('a busy WebSocket port names its own setting, and the MQTT port it had opened is closed again', async () => {
    const blocker = createServer();
    const wsPort = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const port = await freePort();
      const broker = new LocalBroker();
      brokers.push(broker);
      assert.equal(
        await failureMessage(broker.start({ port, host: '127.0.0.1', wsPort })),
        `Port ${wsPort} on 127.0.0.1 is already in use. Stop the other broker or choose another port in the setting mqttWorkbench.localBroker.websocketPort.`,
      );
      assert.equal(await acceptsConnections('127.0.0.1', port, 300), false, 'the MQTT port is free again');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  test('stop disconnects every client and frees the port; the broker starts again on it', async () => {
    const wsPort = await freePort();
    const { broker, address } = await startBroker({ wsPort });
    const tcp = await client(address.url);
    const ws = await client(`ws://127.0.0.1:${wsPort}/mqtt`);
    const closed = [tcp, ws].map(({ client: c }) => new Promise<void>((resolve) => c.once('close', () => resolve())));
    await broker.stop();
    await Promise.all(closed);
    assert.equal(broker.address, undefined);
    assert.equal(broker.clientCount, 0);
    assert.equal(await acceptsConnections('127.0.0.1', address.port, 300), false);
    assert.equal(await acceptsConnections('127.0.0.1', wsPort, 300), false);

    const again = await broker.start({ port: address.port, host: '127.0.0.1', wsPort });
    assert.equal(again.port, address.port);
    const back = await client(again.url);
    assert.equal(back.client.connected, true);
  });

  test('port 0 picks a free port; an MQTT 5 client is told the version is not supported', async () => {
    const broker = new LocalBroker();
    brokers.push(broker);
    const address = await broker.start({ port: 0, host: '127.0.0.1' });
    assert.ok(address.port > 0);
    const session = makeSession({ port: address.port, protocolVersion: '5' });
    assert.equal(
      await failureMessage(session.connect()),
      'The broker refused the connection: MQTT 5 is not supported (return code 1). Set protocolVersion to "3.1.1" for this broker.',
    );
    assert.equal(session.state.kind, 'failed', 'not retried: the same settings cannot succeed');
  });
});
