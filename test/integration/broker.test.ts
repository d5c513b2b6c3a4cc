// Proves the test broker helper: every listener kind of a real mosquitto works, and the negative cases fail
// the way a user would see them fail. Other integration tests build on these helpers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { ConnectionOptions } from 'node:tls';
import type { IClientOptions } from 'mqtt';
import { join } from 'node:path';
import { startMosquitto } from '../helpers/broker';
import { makeCertificates, CLIENT_KEY_PASSPHRASE, type Certificates } from '../helpers/certs';
import { connectClient, connectFailure, endClient, type Connected } from '../helpers/clients';
import { acceptsConnections, listenAddresses } from '../helpers/ports';

let certs: Certificates;
let certDir: string;

before(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'mqtt-workbench-certs-'));
  certs = await makeCertificates(certDir);
});

after(async () => {
  await rm(certDir, { recursive: true, force: true });
});

/** Subscribes, publishes one message to itself and checks it comes back unchanged. */
async function assertRoundTrip({ client, inbox }: Connected, topic: string): Promise<void> {
  await client.subscribeAsync(topic, { qos: 1 });
  await client.publishAsync(topic, 'hello', { qos: 1 });
  const [message] = await inbox.waitFor(1);
  assert.equal(message?.topic, topic);
  assert.equal(message?.payload.toString(), 'hello');
}

test('plain listener: connect, subscribe and receive a published message', async () => {
  const broker = await startMosquitto();
  try {
    assert.match(broker.url(), /^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const connected = await connectClient(broker.url());
    await assertRoundTrip(connected, 'test/plain');
    await endClient(connected.client);
  } finally {
    await broker.stop();
  }
  assert.equal(await acceptsConnections(broker.host, broker.port), false, 'stop() must close the listener');
});

test('TLS listener: trusted with the test CA, rejected with an unrelated CA or a wrong hostname', async () => {
  const broker = await startMosquitto({ tls: certs });
  const wrongHost = await startMosquitto({ tls: certs, tlsCertificate: 'wrongHost' });
  try {
    const connected = await connectClient(broker.url('mqtts'), { ca: readFileSync(certs.caCert) });
    await assertRoundTrip(connected, 'test/tls');
    await endClient(connected.client);

    // mosquitto sends its CA along with the server certificate, so Node reports the chain's root as untrusted.
    const untrusted = await connectFailure(broker.url('mqtts'), { ca: readFileSync(certs.wrongCaCert) });
    assert.equal(untrusted.code, 'SELF_SIGNED_CERT_IN_CHAIN');

    const mismatch = await connectFailure(wrongHost.url('mqtts'), { ca: readFileSync(certs.caCert) });
    assert.equal(mismatch.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  } finally {
    await Promise.all([broker.stop(), wrongHost.stop()]);
  }
});

test('mTLS listener: rejects a client without a certificate, accepts one with (plain and encrypted key)', async () => {
  const broker = await startMosquitto({ tls: certs, requireClientCert: true });
  try {
    const ca = readFileSync(certs.caCert);
    const refused = await connectFailure(broker.url('mtls'), { ca });
    assert.match(refused.message, /certificate required|closed before CONNACK|ECONNRESET|socket hang up/i);

    const connected = await connectClient(broker.url('mtls'), { ca, cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) });
    await assertRoundTrip(connected, 'test/mtls');
    await endClient(connected.client);

    const encryptedKey = readFileSync(certs.clientKeyEncrypted, 'utf8');
    assert.match(encryptedKey, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    // MQTT.js hands every option to tls.connect, but its type does not list `passphrase`.
    const withPassphrase: IClientOptions & Pick<ConnectionOptions, 'passphrase'> = {
      ca, cert: readFileSync(certs.clientCert), key: encryptedKey, passphrase: CLIENT_KEY_PASSPHRASE,
    };
    const encrypted = await connectClient(broker.url('mtls'), withPassphrase);
    await endClient(encrypted.client);
  } finally {
    await broker.stop();
  }
});

test('password auth: right password connects, wrong password and anonymous are refused', async () => {
  const broker = await startMosquitto({ users: { alice: 's3cret' } });
  try {
    const url = broker.url();
    for (const protocolVersion of [4, 5] as const) {
      const connected = await connectClient(url, { protocolVersion, username: 'alice', password: 's3cret' });
      await assertRoundTrip(connected, `test/auth/${protocolVersion}`);
      await endClient(connected.client);
    }
    // What mosquitto 2.0.11 really sends, wrong password or no credentials alike: 3.1.1 "not authorized" (5),
    // v5 "Not authorized" (0x87) -- never v5 "Bad user name or password" (0x86).
    assert.equal((await connectFailure(url, { protocolVersion: 4, username: 'alice', password: 'wrong' })).code, 5);
    assert.equal((await connectFailure(url, { protocolVersion: 5, username: 'alice', password: 'wrong' })).code, 0x87);
    assert.equal((await connectFailure(url, { protocolVersion: 4 })).code, 5);
    assert.equal((await connectFailure(url, { protocolVersion: 5 })).code, 0x87);
  } finally {
    await broker.stop();
  }
});

test('websockets listener: MQTT over ws:// round-trips a message', async () => {
  const broker = await startMosquitto({ websockets: true });
  try {
    assert.match(broker.url('ws'), /^ws:\/\/127\.0\.0\.1:\d+$/);
    const connected = await connectClient(broker.url('ws'));
    await assertRoundTrip(connected, 'test/ws');
    await endClient(connected.client);
  } finally {
    await broker.stop();
  }
});

test('persistence: a persistent session gets messages published while it was away, across a restart', async () => {
  const broker = await startMosquitto({ persistence: true });
  const session = { clientId: 'workbench-persistent', clean: false, protocolVersion: 4 } as const;
  try {
    const first = await connectClient(broker.url(), session);
    await first.client.subscribeAsync('test/persist/#', { qos: 1 });
    await endClient(first.client);

    const publisher = await connectClient(broker.url());
    await publisher.client.publishAsync('test/persist/before', 'queued before restart', { qos: 1 });
    await publisher.client.publishAsync('test/persist/qos0', 'queued qos0', { qos: 0 });
    await endClient(publisher.client);

    const oldPid = broker.pid;
    await broker.restart();
    assert.notEqual(broker.pid, oldPid);

    const again = await connectClient(broker.url());
    await again.client.publishAsync('test/persist/after', 'queued after restart', { qos: 1 });
    await endClient(again.client);

    const back = await connectClient(broker.url(), session);
    assert.equal(back.connack.sessionPresent, true, 'the session must survive the restart');
    const received = await back.inbox.waitFor(3);
    assert.deepEqual(received.map((m) => `${m.topic}=${m.payload.toString()}`).sort(), [
      'test/persist/after=queued after restart',
      'test/persist/before=queued before restart',
      'test/persist/qos0=queued qos0',
    ]);
    await endClient(back.client);
  } finally {
    await broker.stop();
  }
});

test('pause() makes the broker hang without closing its port; resume() brings it back', async () => {
  const broker = await startMosquitto();
  try {
    broker.pause();
    const hung = await connectFailure(broker.url(), { connectTimeout: 500 }, 2_000);
    assert.equal(hung.message, 'connack timeout');
    broker.resume();
    const { client } = await connectClient(broker.url());
    await endClient(client);
  } finally {
    await broker.stop();
  }
});

test('every listener kind at once, each reachable from loopback only', async () => {
  const broker = await startMosquitto({ tls: certs, requireClientCert: true, websockets: true, persistence: true, users: { bob: 'pw' } });
  try {
    const ports = [broker.port, broker.tlsPort, broker.mtlsPort, broker.wsPort];
    assert.equal(new Set(ports).size, 4, 'four distinct ports');
    for (const port of ports) {
      assert.ok(port !== undefined);
      const addresses = listenAddresses(port);
      assert.notEqual(addresses.length, 0, `something listens on ${port}`);
      for (const address of addresses) assert.match(address, /^(127\.0\.0\.1|::ffff:127\.0\.0\.1|::1)$/, `port ${port} bound to ${address}`);
    }
  } finally {
    await broker.stop();
  }
});
