// TLS alerts a broker sends about the client: each has its own sentence and stops the retries. The messages are
// OpenSSL's as Node reports them (the integration tests meet 40, 45 and 48 from a real mosquitto).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isFatalNetworkError } from '../../src/core/connectFailures';
import { describeNetworkError } from '../../src/core/networkErrors';

const endpoint = { host: 'broker.lab', port: 8883 };
const openssl = (name: string, alert: number) => ({
  code: `ERR_SSL_SSLV3_ALERT_${name.toUpperCase().replace(/ /g, '_')}`,
  message: `80DCABCD0F7F0000:error:0A000415:SSL routines:ssl3_read_bytes:sslv3 alert ${name}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number ${alert}\n`,
});

describe('TLS alerts from the broker', () => {
  const cases: Array<[string, number, string]> = [
    ['bad certificate', 42, 'The broker at broker.lab:8883 rejected the client certificate (bad certificate). Check that tls.cert and tls.key are the pair the broker expects.'],
    ['unsupported certificate', 43, 'The broker at broker.lab:8883 does not accept this kind of client certificate (unsupported certificate). It must be made for client authentication (extendedKeyUsage clientAuth).'],
    ['certificate revoked', 44, 'The broker at broker.lab:8883 says the client certificate was revoked. Get a new client certificate for tls.cert.'],
    ['certificate unknown', 46, 'The broker at broker.lab:8883 could not use the client certificate (certificate unknown). Check tls.cert.'],
    ['access denied', 49, 'The broker at broker.lab:8883 refused access for this client certificate (access denied).'],
    ['protocol version', 70, "The broker at broker.lab:8883 does not accept the TLS version this client offers (protocol version). Check the broker's tls_version."],
    ['certificate required', 116, 'The broker at broker.lab:8883 requires a client certificate. Set tls.cert and tls.key.'],
  ];
  for (const [name, alert, sentence] of cases) {
    test(`alert ${alert} (${name}) is named and not retried`, () => {
      const error = openssl(name, alert);
      assert.equal(describeNetworkError(error, endpoint), sentence);
      assert.equal(isFatalNetworkError(error), true);
    });
  }

  test('an alert this module does not know, and a reset connection, are retried', () => {
    assert.equal(isFatalNetworkError(openssl('decode error', 50)), false);
    assert.equal(isFatalNetworkError({ code: 'ECONNRESET', message: 'read ECONNRESET' }), false);
  });

  test('a host name mismatch on an IP address lists the names of the certificate (or its CN when it has none)', () => {
    const mismatch = (cert: object) => ({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: "IP: 10.0.0.5 is not in the cert's list: ", message: 'x', cert });
    assert.equal(
      describeNetworkError(mismatch({ subjectaltname: 'DNS:broker.other.example, DNS:mqtt.other.example' }), endpoint),
      "Certificate does not match the host: IP: 10.0.0.5 is not in the cert's list: DNS:broker.other.example, DNS:mqtt.other.example. Use the name in the certificate or set tls.servername.",
    );
    assert.equal(
      describeNetworkError(mismatch({ subject: { CN: 'broker.other.example' } }), endpoint),
      "Certificate does not match the host: IP: 10.0.0.5 is not in the cert's list: CN=broker.other.example. Use the name in the certificate or set tls.servername.",
    );
  });
});
