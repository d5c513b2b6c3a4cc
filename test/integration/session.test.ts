// The core Session against a real mosquitto: QoS flows, TLS/mTLS, passwords, websockets, will, persistent
// sessions, reconnect with backoff, and the sentences users read when something is wrong.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startMosquitto, type Broker } from '../helpers/broker';
import { dynamicSecurity } from '../helpers/dynsec';
import { CLIENT_KEY_PASSPHRASE, makeCertificates, type Certificates } from '../helpers/certs';
import { closeSessions, collectMessages, failureMessage, makeSession, tlsFiles, waitForState, waitUntil } from '../helpers/sessions';
import { startTcpProxy } from '../helpers/tcpProxy';

afterEach(() => closeSessions());

describe('plain broker', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  for (const protocolVersion of ['3.1.1', '5'] as const) {
    test(`QoS 0, 1 and 2 round trip (MQTT ${protocolVersion})`, async () => {
      const session = makeSession({ port: broker.port, protocolVersion, subscriptions: [{ filter: 'rt/#', qos: 2 }] });
      const inbox = collectMessages(session);
      await session.connect();
      assert.equal(session.state.kind, 'connected');
      await waitUntil(() => session.subscriptions.get('rt/#')?.state === 'active');
      assert.equal(session.subscriptions.get('rt/#')?.grantedQos, 2);
      const results = [];
      for (const qos of [0, 1, 2] as const) results.push(await session.publish(`rt/q${qos}`, `payload ${qos}`, { qos }));
      assert.equal(results[0].summary, 'Sent');
      assert.match(results[1].summary, /^Acknowledged in \d+ ms$/);
      assert.match(results[2].summary, /^Completed in \d+ ms$/);
      const received = await inbox.waitFor(3);
      assert.deepEqual(received.map((m) => [m.topic, Buffer.from(m.payload).toString(), m.qos]), [
        ['rt/q0', 'payload 0', 0],
        ['rt/q1', 'payload 1', 1],
        ['rt/q2', 'payload 2', 2],
      ]);
    });
  }

  test('v5 publish properties arrive intact', async () => {
    const session = makeSession({ port: broker.port, subscriptions: [{ filter: 'props/#', qos: 1 }] });
    const inbox = collectMessages(session);
    await session.connect();
    await waitUntil(() => session.subscriptions.get('props/#')?.state === 'active');
    const properties = {
      contentType: 'application/json',
      responseTopic: 'props/reply',
      correlationData: new Uint8Array([1, 2, 255]),
      payloadFormatIndicator: true,
      messageExpiryInterval: 60,
      userProperties: [['site', 'a'], ['site', 'b'], ['fw', '1.2']] as Array<[string, string]>,
    };
    await session.publish('props/x', '{"t":1}', { qos: 1, properties });
    const [message] = await inbox.waitFor(1);
    assert.equal(message.properties?.contentType, 'application/json');
    assert.equal(message.properties?.responseTopic, 'props/reply');
    assert.deepEqual([...(message.properties?.correlationData ?? [])], [1, 2, 255]);
    assert.equal(message.properties?.payloadFormatIndicator, true);
    assert.deepEqual(message.properties?.userProperties, [['site', 'a'], ['site', 'b'], ['fw', '1.2']]);
  });

  test('MQTT 5 CONNECT carries the profile user properties and session expiry on the wire', async () => {
    const proxy = await startTcpProxy(broker.port);
    try {
      const session = makeSession({ port: proxy.port, sessionExpiryInterval: 120, properties: { userProperties: { team: 'fw', site: ['a', 'b'] }, receiveMaximum: 50 } });
      await session.connect();
      const connect = proxy.sent.find((p) => p.cmd === 'connect');
      assert.ok(connect && connect.cmd === 'connect');
      assert.deepEqual({ ...connect.properties?.userProperties }, { team: 'fw', site: ['a', 'b'] });
      assert.equal(connect.properties?.sessionExpiryInterval, 120);
      assert.equal(connect.properties?.receiveMaximum, 50);
    } finally {
      await proxy.close();
    }
  });

  /** How many of 100 QoS 1 messages mosquitto sends a v5 subscriber (`properties`) before any acknowledgement. */
  async function unacknowledgedWindow(properties: { receiveMaximum?: number }): Promise<number> {
    const proxy = await startTcpProxy(broker.port);
    try {
      const subscriber = makeSession({ port: proxy.port, properties, subscriptions: [{ filter: 'window/#', qos: 1 }] });
      const inbox = collectMessages(subscriber);
      await subscriber.connect();
      await waitUntil(() => subscriber.subscriptions.get('window/#')?.state === 'active');
      proxy.holdClientBytes();
      const publisher = makeSession({ port: broker.port });
      await publisher.connect();
      await Promise.all(Array.from({ length: 100 }, (_, i) => publisher.publish('window/x', String(i), { qos: 1 })));
      const publishes = (): number => proxy.received.filter((p) => p.cmd === 'publish').length;
      await waitUntil(() => publishes() >= 20);
      await new Promise((resolve) => setTimeout(resolve, 500)); // what the broker sends beyond its window, it sends now
      const window = publishes();
      proxy.release();
      await inbox.waitFor(100); // and nothing was lost by holding the acknowledgements back
      return window;
    } finally {
      await proxy.close();
    }
  }

  test('an MQTT 5 subscriber lets mosquitto send more than its own 20 QoS 1 messages before acknowledging', async () => {
    assert.equal(await unacknowledgedWindow({}), 100, 'Receive Maximum 65,535 sent: all 100 in flight at once');
    assert.equal(await unacknowledgedWindow({ receiveMaximum: 20 }), 20, 'a profile that sets 20 gets 20');
  });

  test('will is published when the socket dies, not on a clean disconnect', async () => {
    const watcher = makeSession({ port: broker.port, subscriptions: [{ filter: 'will/#', qos: 1 }] });
    const inbox = collectMessages(watcher);
    await watcher.connect();
    await waitUntil(() => watcher.subscriptions.get('will/#')?.state === 'active');

    const polite = makeSession({ port: broker.port, will: { topic: 'will/polite', payload: 'gone', qos: 1 } });
    await polite.connect();
    await polite.disconnect();

    const proxy = await startTcpProxy(broker.port);
    try {
      const dying = makeSession({ port: proxy.port, reconnect: { initialDelay: 60000, maxDelay: 60000 }, will: { topic: 'will/dying', payload: 'lost', qos: 1, properties: { userProperties: { why: 'cable' } } } });
      await dying.connect();
      proxy.cutAll();
      const [will] = await inbox.waitFor(1);
      assert.equal(will.topic, 'will/dying');
      assert.equal(Buffer.from(will.payload).toString(), 'lost');
      assert.deepEqual(will.properties?.userProperties, [['why', 'cable']]);
      await waitForState(dying, 'reconnecting');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(inbox.messages.map((m) => m.topic), ['will/dying'], 'the clean disconnect published no will');
    } finally {
      await proxy.close();
    }
  });

  test('closed port and unknown host give clear messages', async () => {
    const closed = makeSession({ port: 1, reconnect: { initialDelay: 60000, maxDelay: 60000 } });
    assert.equal(await failureMessage(closed.connect()), 'Nothing is listening on 127.0.0.1:1. Check that the broker is running and the port is right.');
    const state = closed.state;
    assert.equal(state.kind, 'reconnecting', 'a closed port is retried later');
    const unknown = makeSession({ host: 'no-such-broker.invalid', port: 1883, reconnect: { initialDelay: 60000, maxDelay: 60000 } });
    assert.equal(await failureMessage(unknown.connect()), 'Host not found: no-such-broker.invalid. Check the host name.');
  });

  test('publishing an invalid topic or while disconnected is refused with the reason', async () => {
    const session = makeSession({ port: broker.port });
    assert.equal(await failureMessage(session.publish('a/b', 'x')), 'Not connected: test is disconnected. Connect first.');
    await session.connect();
    assert.equal(await failureMessage(session.publish('a/+', 'x')), 'Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.');
  });
});

describe('TLS', () => {
  let certs: Certificates;
  let broker: Broker;
  before(async () => {
    certs = await makeCertificates(await mkdtemp(join(tmpdir(), 'wb-certs-')));
    broker = await startMosquitto({ tls: certs, requireClientCert: true });
  });
  after(() => broker.stop());

  const tlsProfile = (port: number | undefined, tls: Record<string, unknown> = {}) => ({ protocol: 'mqtts', port, tls: { ca: 'ca.pem', ...tls } });

  test('connects with the CA made by the test', async () => {
    const session = makeSession(tlsProfile(broker.tlsPort), { tlsFiles: await tlsFiles({ ca: certs.caCert }) });
    await session.connect();
    assert.equal(session.state.kind, 'connected');
  });

  test('a wrong CA says the certificate is not trusted, and does not retry', async () => {
    const session = makeSession(tlsProfile(broker.tlsPort), { tlsFiles: await tlsFiles({ ca: certs.wrongCaCert }) });
    assert.equal(await failureMessage(session.connect()), 'Certificate not trusted: self-signed certificate in the chain. Set tls.ca to your CA certificate.');
    assert.equal(session.state.kind, 'failed');
  });

  test('a host name that is not in the certificate is named', async () => {
    const session = makeSession({ ...tlsProfile(broker.tlsPort), host: 'localhost', tls: { ca: 'ca.pem', servername: 'wrong.example' } }, { tlsFiles: await tlsFiles({ ca: certs.caCert }) });
    const message = await failureMessage(session.connect());
    assert.match(message, /^Certificate does not match the host: .*wrong\.example.*Use the name in the certificate or set tls\.servername\.$/);
  });

  test('mTLS: refused without a client certificate, accepted with one', async () => {
    const without = makeSession(tlsProfile(broker.mtlsPort), { tlsFiles: await tlsFiles({ ca: certs.caCert }) });
    const message = await failureMessage(without.connect());
    assert.ok(
      message === `The broker at 127.0.0.1:${broker.mtlsPort} requires a client certificate. Set tls.cert and tls.key.` || message.startsWith(`The connection to 127.0.0.1:${broker.mtlsPort} was`),
      message,
    );
    const withCert = makeSession(tlsProfile(broker.mtlsPort, { cert: 'c.pem', key: 'k.pem' }), { tlsFiles: await tlsFiles({ ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey }) });
    await withCert.connect();
    assert.equal(withCert.state.kind, 'connected');
  });

  test('encrypted client key: the right passphrase connects, a wrong one is named', async () => {
    const files = await tlsFiles({ ca: certs.caCert, cert: certs.clientCert, key: certs.clientKeyEncrypted });
    const right = makeSession(tlsProfile(broker.mtlsPort, { cert: 'c.pem', key: 'k.pem' }), { tlsFiles: files, passphrase: CLIENT_KEY_PASSPHRASE });
    await right.connect();
    assert.equal(right.state.kind, 'connected');
    const wrong = makeSession(tlsProfile(broker.mtlsPort, { cert: 'c.pem', key: 'k.pem' }), { tlsFiles: files, passphrase: 'not-it' });
    assert.equal(await failureMessage(wrong.connect()), 'The private key could not be decrypted: the key passphrase is wrong.');
    assert.equal(wrong.state.kind, 'failed');
  });

  test('a file that is not PEM is named before connecting', async () => {
    const session = makeSession(tlsProfile(broker.tlsPort), { tlsFiles: { ca: new TextEncoder().encode('not a certificate') } });
    assert.equal(await failureMessage(session.connect()), 'tls.ca is not in PEM format (expected "-----BEGIN ..."). Check the file.');
  });
});

describe('password authentication', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ users: { dev: 's3cret' } });
  });
  after(() => broker.stop());

  test('the right password connects', async () => {
    const session = makeSession({ port: broker.port, username: 'dev' }, { password: 's3cret' });
    await session.connect();
    assert.equal(session.state.kind, 'connected');
  });

  for (const [protocolVersion, expected] of [
    ['5', 'The broker refused the connection: Not authorized (0x87)'],
    ['3.1.1', 'The broker refused the connection: Not authorized (return code 5)'],
  ] as const) {
    test(`a wrong password is refused by name and not retried (MQTT ${protocolVersion})`, async () => {
      const session = makeSession({ port: broker.port, username: 'dev', protocolVersion }, { password: 'wrong' });
      const error = await session.connect().then(
        () => undefined,
        (e: unknown) => e as Error & { reasonCode?: number },
      );
      assert.equal(error?.message, expected);
      assert.ok(error?.reasonCode !== undefined);
      assert.equal(session.state.kind, 'failed');
    });
  }

});

describe('subscription access control', () => {
  let broker: Broker;
  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-dynsec-'));
    broker = await startMosquitto({ extraConfig: await dynamicSecurity(dir, 'dev', 's3cret', ['public/#']) });
  });
  after(() => broker.stop());

  for (const [protocolVersion, reason] of [
    ['5', 'Not authorized (0x87)'],
    ['3.1.1', 'Refused by the broker (0x80)'],
  ] as const) {
    test(`a refused subscription shows its reason (MQTT ${protocolVersion})`, async () => {
      const session = makeSession({ port: broker.port, protocolVersion, username: 'dev', subscriptions: [{ filter: 'public/#' }] }, { password: 's3cret' });
      await session.connect();
      const refused = await session.subscribe({ filter: 'secret/#', qos: 1 });
      assert.equal(refused.state, 'refused');
      assert.equal(refused.error, reason);
      await waitUntil(() => session.subscriptions.get('public/#')?.state === 'active');
    });
  }
});

describe('websockets', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ websockets: true });
  });
  after(() => broker.stop());

  test('connects and round-trips over ws://', async () => {
    const session = makeSession({ protocol: 'ws', port: broker.wsPort, path: '/mqtt', subscriptions: [{ filter: 'ws/#', qos: 1 }] });
    const inbox = collectMessages(session);
    await session.connect();
    await waitUntil(() => session.subscriptions.get('ws/#')?.state === 'active');
    await session.publish('ws/hello', 'over websockets', { qos: 1 });
    const [message] = await inbox.waitFor(1);
    assert.equal(Buffer.from(message.payload).toString(), 'over websockets');
  });
});

describe('persistent sessions and reconnect', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ persistence: true });
  });
  after(() => broker.stop());

  test('a persistent session receives what was published while it was away', async () => {
    const raw = { port: broker.port, clientId: 'wb-persistent-1', cleanStart: false, sessionExpiryInterval: 300, subscriptions: [{ filter: 'away/#', qos: 1 }] };
    const first = makeSession(raw, { clientId: 'wb-persistent-1' });
    await first.connect();
    await waitUntil(() => first.subscriptions.get('away/#')?.state === 'active');
    await first.disconnect();

    const publisher = makeSession({ port: broker.port });
    await publisher.connect();
    for (let i = 0; i < 5; i++) await publisher.publish('away/n', `m${i}`, { qos: 1 });

    const second = makeSession(raw, { clientId: 'wb-persistent-1' });
    const inbox = collectMessages(second);
    await second.connect();
    const state = second.state;
    assert.ok(state.kind === 'connected' && state.sessionPresent, 'the broker resumed the session');
    const received = await inbox.waitFor(5);
    assert.deepEqual(received.map((m) => Buffer.from(m.payload).toString()), ['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  test('after a broker restart the session reconnects with backoff and subscribes again', async () => {
    const session = makeSession({ port: broker.port, reconnect: { initialDelay: 200, maxDelay: 1600, jitter: 0 }, subscriptions: [{ filter: 'back/#', qos: 1 }] });
    const inbox = collectMessages(session);
    const states: string[] = [];
    session.onState((s) => states.push(s.kind));
    await session.connect();
    await waitUntil(() => session.subscriptions.get('back/#')?.state === 'active');

    await broker.stop();
    await waitForState(session, 'reconnecting');
    await new Promise((r) => setTimeout(r, 1500));
    await broker.restart();
    await waitForState(session, 'connected', 20_000);
    await waitUntil(() => session.subscriptions.get('back/#')?.state === 'active');

    const delays = session.reconnectDelays;
    assert.ok(delays.length >= 3, `several attempts were made: ${delays.join(', ')}`);
    assert.deepEqual(delays.slice(0, 3), [200, 400, 800], 'delays double from initialDelay');
    assert.ok(delays.every((d) => d <= 1600), 'and never exceed maxDelay');
    assert.deepEqual(states.slice(0, 3), ['connecting', 'connected', 'reconnecting']);
    assert.equal(states.at(-1), 'connected');

    const publisher = makeSession({ port: broker.port });
    await publisher.connect();
    await publisher.publish('back/again', 'hello', { qos: 1 });
    const [message] = await inbox.waitFor(1);
    assert.equal(message.topic, 'back/again');
  });
});
