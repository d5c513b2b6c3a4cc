// Connection mistakes against a real mosquitto that the other integration tests do not pin to the exact
// sentence: a websocket path the gateway in front of the broker does not serve, a host name missing from
// the broker certificate, and a client key that belongs to another certificate. Each asserts the whole message the user reads (README "Troubleshooting").
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startMosquitto, type Broker } from '../helpers/broker';
import { makeCertificates, type Certificates } from '../helpers/certs';
import { closeSessions, failureMessage, makeSession, tlsFiles } from '../helpers/sessions';
import { startWsGateway, type WsGateway } from '../helpers/wsGateway';

/** Reconnect attempts far enough apart that a test sees only the first one. */
const NO_RETRY_DURING_TEST = { initialDelay: 60_000, maxDelay: 60_000 };

afterEach(() => closeSessions());

describe('websocket path', () => {
  let broker: Broker;
  let gateway: WsGateway;
  before(async () => {
    broker = await startMosquitto({ websockets: true });
    assert.ok(broker.wsPort, 'the broker has a websockets listener');
    gateway = await startWsGateway(broker.wsPort, '/mqtt');
  });
  after(async () => {
    await gateway.close();
    await broker.stop();
  });

  test('the right path connects through the gateway to mosquitto', async () => {
    const session = makeSession({ protocol: 'ws', port: gateway.port, path: '/mqtt' });
    await session.connect();
    assert.equal(session.state.kind, 'connected');
  });

  test('a wrong path names the HTTP status and the usual path, and is not retried', async () => {
    const session = makeSession({ protocol: 'ws', port: gateway.port, path: '/ws', reconnect: NO_RETRY_DURING_TEST });
    assert.equal(await failureMessage(session.connect()), `The websocket handshake with 127.0.0.1:${gateway.port} failed (HTTP 404). Check the path (often "/mqtt").`);
    const state = session.state;
    assert.ok(state.kind === 'failed' && state.error.includes('(HTTP 404)'), `the Connections view keeps showing why: ${JSON.stringify(state)}`);
  });
});

describe('TLS host name and client key', () => {
  let certs: Certificates;
  let broker: Broker;
  before(async () => {
    certs = await makeCertificates(await mkdtemp(join(tmpdir(), 'wb-certs-')));
    broker = await startMosquitto({ tls: certs, tlsCertificate: 'wrongHost' });
  });
  after(() => broker.stop());

  test('a host name missing from the broker certificate is named, with the names the certificate has', async () => {
    const profile = { protocol: 'mqtts', host: 'localhost', port: broker.tlsPort, tls: { ca: 'ca.pem' }, reconnect: NO_RETRY_DURING_TEST };
    const session = makeSession(profile, { tlsFiles: await tlsFiles({ ca: certs.caCert }) });
    assert.equal(
      await failureMessage(session.connect()),
      "Certificate does not match the host: Host: localhost. is not in the cert's altnames: DNS:wrong.example. Use the name in the certificate or set tls.servername.",
    );
    assert.equal(session.state.kind, 'failed', 'a certificate problem is not retried');
  });

  test('a client key that belongs to another certificate is named before connecting', async () => {
    const profile = { protocol: 'mqtts', port: broker.tlsPort, tls: { ca: 'ca.pem', cert: 'c.pem', key: 'k.pem' } };
    const session = makeSession(profile, { tlsFiles: await tlsFiles({ ca: certs.caCert, cert: certs.clientCert, key: certs.serverKey }) });
    assert.equal(await failureMessage(session.connect()), 'tls.key does not belong to tls.cert: the private key and the client certificate do not match.');
    assert.equal(session.state.kind, 'failed');
  });
});
