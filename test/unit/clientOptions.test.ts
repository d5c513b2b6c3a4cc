import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAddress } from '../../src/core/address';
import { backoffDelay } from '../../src/core/backoff';
import { buildClientOptions, generateClientId, resolveProfilePath } from '../../src/core/clientOptions';
import { describeNetworkError } from '../../src/core/networkErrors';
import { parseProfile, type ConnectionProfile } from '../../src/core/profile';
import { describeConnackCode, describeReasonCode } from '../../src/core/reasonCodes';

function profile(raw: Record<string, unknown>): ConnectionProfile {
  const parsed = parseProfile({ name: 'P', host: 'broker', ...raw }, 'c');
  assert.ok(parsed.profile, parsed.problems.join('; '));
  return parsed.profile;
}

describe('resolveProfilePath', () => {
  const vars = { workspaceFolder: '/work/fw', userHome: '/home/dev', env: { CERTS: '/etc/certs' } };
  test('relative paths resolve against the workspace folder', () => {
    assert.deepEqual(resolveProfilePath('certs/ca.pem', vars), { path: '/work/fw/certs/ca.pem' });
  });
  test('expands ${workspaceFolder}, ${userHome} and ${env:NAME}', () => {
    assert.deepEqual(resolveProfilePath('${workspaceFolder}/a.pem', vars), { path: '/work/fw/a.pem' });
    assert.deepEqual(resolveProfilePath('${userHome}/.certs/a.pem', vars), { path: '/home/dev/.certs/a.pem' });
    assert.deepEqual(resolveProfilePath('${env:CERTS}/a.pem', vars), { path: '/etc/certs/a.pem' });
  });
  test('explains unknown variables, unset environment variables and a missing folder', () => {
    assert.deepEqual(resolveProfilePath('${home}/a.pem', vars), { error: 'unknown variable ${home}; use ${workspaceFolder}, ${userHome} or ${env:NAME}' });
    assert.deepEqual(resolveProfilePath('${env:NOPE}/a.pem', vars), { error: 'environment variable NOPE is not set' });
    assert.deepEqual(resolveProfilePath('a.pem', { ...vars, workspaceFolder: undefined }), {
      error: 'relative path "a.pem" needs an open folder; use an absolute path or ${userHome}',
    });
  });
});

describe('buildClientOptions', () => {
  test('maps versions to MQTT.js numbers and protocol ids', () => {
    assert.equal(buildClientOptions(profile({ protocolVersion: '3.1' }), { clientId: 'c' }).protocolId, 'MQIsdp');
    assert.equal(buildClientOptions(profile({ protocolVersion: '3.1' }), { clientId: 'c' }).protocolVersion, 3);
    assert.equal(buildClientOptions(profile({ protocolVersion: '3.1.1' }), { clientId: 'c' }).protocolVersion, 4);
    assert.equal(buildClientOptions(profile({}), { clientId: 'c' }).protocolVersion, 5);
  });

  test('passes TLS bytes, passphrase, SNI and ALPN; never file paths', () => {
    const p = profile({ protocol: 'mqtts', tls: { ca: 'ca.pem', cert: 'c.pem', key: 'k.pem', servername: 'sni', alpnProtocols: ['mqtt'], minVersion: 'TLSv1.3' } });
    const ca = new TextEncoder().encode('-----BEGIN CERTIFICATE-----');
    const options = buildClientOptions(p, { clientId: 'c', passphrase: 'pw', tlsFiles: { ca, cert: ca, key: ca } }) as Record<string, unknown>;
    assert.ok(Buffer.isBuffer(options.ca));
    assert.equal((options.ca as Buffer).toString(), '-----BEGIN CERTIFICATE-----');
    assert.equal(options.passphrase, 'pw');
    assert.equal(options.servername, 'sni');
    assert.deepEqual(options.ALPNProtocols, ['mqtt']);
    assert.equal(options.minVersion, 'TLSv1.3');
    assert.equal(options.rejectUnauthorized, true);
    assert.equal(options.caPaths, undefined);
  });

  test('v5 connect and will properties, user properties, session expiry', () => {
    const p = profile({
      cleanStart: false,
      sessionExpiryInterval: 600,
      properties: { receiveMaximum: 5, userProperties: { a: 'b' } },
      will: { topic: 'w', payload: 'bye', qos: 1, properties: { willDelayInterval: 3, correlationData: 'xyz' } },
    });
    const options = buildClientOptions(p, { clientId: 'c', password: 'secret' });
    assert.equal(options.clean, false);
    assert.equal(options.properties?.sessionExpiryInterval, 600);
    assert.equal(options.properties?.receiveMaximum, 5);
    assert.deepEqual(options.properties?.userProperties, { a: 'b' });
    assert.equal(options.will?.properties?.willDelayInterval, 3);
    assert.equal(Buffer.from(options.will?.properties?.correlationData ?? []).toString(), 'xyz');
    assert.equal(Buffer.from(options.will?.payload ?? '').toString(), 'bye');
    assert.equal(options.password, 'secret');
  });

  test('v5 connect asks for the widest Receive Maximum when the profile sets none', () => {
    assert.equal(buildClientOptions(profile({}), { clientId: 'c' }).properties?.receiveMaximum, 65535);
  });

  test('3.1.1 sends no v5 properties and uses clean session', () => {
    const options = buildClientOptions(profile({ protocolVersion: '3.1.1', clean: false }), { clientId: 'c' });
    assert.equal(options.properties, undefined);
    assert.equal(options.clean, false);
  });

  test('failover servers start with the main address', () => {
    const options = buildClientOptions(profile({ servers: [{ host: 'b2', port: 1884 }] }), { clientId: 'c' });
    assert.deepEqual(options.servers, [
      { host: 'broker', port: 1883, protocol: 'mqtt' },
      { host: 'b2', port: 1884, protocol: 'mqtt' },
    ]);
  });

  test('generated client ids are valid and distinct', () => {
    const id = generateClientId();
    assert.match(id, /^mqttwb-[0-9a-f]{12}$/);
    assert.notEqual(generateClientId(), id);
  });
});

describe('backoffDelay', () => {
  const policy = { initialDelay: 1000, maxDelay: 10000, jitter: 0 };
  test('doubles from initialDelay and stops at maxDelay', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n)), [1000, 2000, 4000, 8000, 10000, 10000]);
  });
  test('jitter spreads within the bounds', () => {
    const jittery = { ...policy, jitter: 0.5 };
    assert.equal(backoffDelay(jittery, 3, () => 0), 2000);
    assert.equal(backoffDelay(jittery, 3, () => 1), 6000);
    assert.equal(backoffDelay(jittery, 1, () => 0), 1000, 'never below initialDelay');
    assert.equal(backoffDelay(jittery, 9, () => 1), 10000, 'never above maxDelay');
  });
});

describe('reason codes and network errors', () => {
  test('reason codes by name', () => {
    assert.equal(describeReasonCode(0x87), 'Not authorized (0x87)');
    assert.equal(describeReasonCode(0x10), 'No matching subscribers (0x10)');
    assert.equal(describeReasonCode(0x8e), 'Session taken over (0x8E)');
    assert.equal(describeReasonCode(0xfe), 'Unknown reason (0xFE)');
    assert.equal(describeConnackCode(5, 4), 'Not authorized (return code 5)');
    assert.equal(describeConnackCode(0x86, 5), 'Bad user name or password (0x86)');
    assert.equal(describeConnackCode(1, 5), 'MQTT 5 is not supported (return code 1). Set protocolVersion to "3.1.1" for this broker.', 'a 3.1.1 CONNACK answering an MQTT 5 CONNECT');
  });
  test('Node errors become sentences', () => {
    const at = { host: '127.0.0.1', port: 1 };
    assert.equal(describeNetworkError({ code: 'ECONNREFUSED', message: 'x' }, at), 'Nothing is listening on 127.0.0.1:1. Check that the broker is running and the port is right.');
    assert.equal(describeNetworkError({ code: 'ENOTFOUND', message: 'x' }, { host: 'nope.invalid', port: 1 }), 'Host not found: nope.invalid. Check the host name.');
    assert.equal(describeNetworkError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'x' }, at), 'Certificate not trusted: self-signed. Set tls.ca to the certificate that signed it.');
    assert.equal(describeNetworkError(new Error('Unexpected server response: 404'), at), 'The websocket handshake with 127.0.0.1:1 failed (HTTP 404). Check the path (often "/mqtt").');
  });
});

describe('parseAddress', () => {
  test('host, host:port and URLs', () => {
    assert.deepEqual(parseAddress('broker'), { protocol: 'mqtt', host: 'broker', port: 1883 });
    assert.deepEqual(parseAddress('10.0.0.5:1884'), { protocol: 'mqtt', host: '10.0.0.5', port: 1884 });
    assert.deepEqual(parseAddress('mqtts://b.example.com'), { protocol: 'mqtts', host: 'b.example.com', port: 8883 });
    assert.deepEqual(parseAddress('ws://127.0.0.1:9001'), { protocol: 'ws', host: '127.0.0.1', port: 9001, path: '/mqtt' });
    assert.deepEqual(parseAddress('wss://h/ws'), { protocol: 'wss', host: 'h', port: 443, path: '/ws' });
    assert.deepEqual(parseAddress('[::1]:1883'), { protocol: 'mqtt', host: '::1', port: 1883 });
  });
  test('explains what is wrong', () => {
    assert.deepEqual(parseAddress(' '), { error: 'Enter a host name or address.' });
    assert.deepEqual(parseAddress('http://h'), { error: 'Unknown protocol "http"; use mqtt, mqtts, ws or wss.' });
    assert.deepEqual(parseAddress('h:99999'), { error: '"h:99999" is not a host, host:port or URL.' });
  });
});
