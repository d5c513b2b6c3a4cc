// TLS failures against a real mosquitto that retrying cannot fix, each named and ending in `failed` (not an
// endless `reconnecting`): a client certificate from a CA the broker does not trust, an expired client
// certificate, no cipher both sides accept, and a broker certificate for another name reached by IP address.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startMosquitto, type Broker } from '../helpers/broker';
import { makeCertificates, type Certificates } from '../helpers/certs';
import { closeSessions, failureMessage, makeSession, tlsFiles } from '../helpers/sessions';

/** Quick retries: a failure that is wrongly retried shows as `reconnecting` within the test. */
const QUICK_RETRY = { initialDelay: 100, maxDelay: 200, jitter: 0 };

afterEach(() => closeSessions());

describe('TLS failures that are permanent', () => {
  let certs: Certificates;
  let broker: Broker;
  let otherName: Broker;
  let noCommonCipher: Broker;
  before(async () => {
    certs = await makeCertificates(await mkdtemp(join(tmpdir(), 'wb-certs-')));
    broker = await startMosquitto({ tls: certs, requireClientCert: true });
    otherName = await startMosquitto({ tls: certs, tlsCertificate: 'wrongHost' });
    // The extra lines belong to the last listener (the TLS one): TLS 1.3 only, with a cipher Node does not offer.
    noCommonCipher = await startMosquitto({ tls: certs, extraConfig: ['tls_version tlsv1.3', 'ciphers_tls1.3 TLS_AES_128_CCM_8_SHA256'] });
  });
  after(async () => {
    await broker.stop();
    await otherName.stop();
    await noCommonCipher.stop();
  });

  const mtls = (port: number | undefined) => ({ protocol: 'mqtts', port, reconnect: QUICK_RETRY, tls: { ca: 'ca.pem', cert: 'c.pem', key: 'k.pem' } });

  /** The session is `failed` with `message`, and stays so while a retry would already have happened. */
  async function assertFailedFor(session: ReturnType<typeof makeSession>, message: string): Promise<void> {
    assert.equal(await failureMessage(session.connect()), message);
    const state = session.state;
    assert.deepEqual(state, { kind: 'failed', error: message }, 'a permanent problem is not retried');
    await new Promise((resolve) => setTimeout(resolve, QUICK_RETRY.maxDelay * 3));
    assert.equal(session.state.kind, 'failed');
  }

  test('a client certificate from a CA the broker does not trust: named, and failed', async () => {
    const session = makeSession(mtls(broker.mtlsPort), { tlsFiles: await tlsFiles({ ca: certs.caCert, cert: certs.untrustedClientCert, key: certs.untrustedClientKey }) });
    await assertFailedFor(session, `The broker at 127.0.0.1:${broker.mtlsPort} does not trust the client certificate (unknown CA).`);
  });

  test('an expired client certificate: named, and failed', async () => {
    const session = makeSession(mtls(broker.mtlsPort), { tlsFiles: await tlsFiles({ ca: certs.caCert, cert: certs.expiredClientCert, key: certs.expiredClientKey }) });
    await assertFailedFor(session, `The broker at 127.0.0.1:${broker.mtlsPort} says the client certificate has expired (or is not valid yet: check the clock). Renew the certificate in tls.cert.`);
  });

  test('no TLS cipher both sides accept: named, and failed', async () => {
    const session = makeSession({ protocol: 'mqtts', port: noCommonCipher.tlsPort, reconnect: QUICK_RETRY, tls: { ca: 'ca.pem' } }, { tlsFiles: await tlsFiles({ ca: certs.caCert }) });
    await assertFailedFor(
      session,
      `The TLS handshake with 127.0.0.1:${noCommonCipher.tlsPort} failed (handshake failure): the broker accepts none of the TLS versions or ciphers this client offers. Check the broker's TLS settings (ciphers, tls_version).`,
    );
  });

  test('a broker certificate for another name, reached by IP address: the names in the certificate are listed', async () => {
    const session = makeSession({ protocol: 'mqtts', port: otherName.tlsPort, reconnect: QUICK_RETRY, tls: { ca: 'ca.pem' } }, { tlsFiles: await tlsFiles({ ca: certs.caCert }) });
    await assertFailedFor(session, "Certificate does not match the host: IP: 127.0.0.1 is not in the cert's list: DNS:wrong.example. Use the name in the certificate or set tls.servername.");
  });
});
