import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseProfile, parseProfiles, secretKey } from '../../src/core/profile';

const minimal = { name: 'Local', host: '127.0.0.1' };

describe('parseProfile', () => {
  test('applies defaults to a minimal profile', () => {
    const { profile, problems } = parseProfile(minimal, 'connections[0]');
    assert.deepEqual(problems, []);
    assert.equal(profile?.protocol, 'mqtt');
    assert.equal(profile?.port, 1883);
    assert.equal(profile?.protocolVersion, '5');
    assert.equal(profile?.keepalive, 60);
    assert.equal(profile?.connectTimeout, 10000);
    assert.equal(profile?.clean, true);
    assert.deepEqual(profile?.reconnect, { initialDelay: 1000, maxDelay: 30000, jitter: 0.2 });
    assert.deepEqual(profile?.subscriptions, []);
    assert.equal(profile?.path, undefined);
  });

  test('default ports and websocket path follow the protocol', () => {
    assert.equal(parseProfile({ ...minimal, protocol: 'mqtts' }, 'c').profile?.port, 8883);
    const ws = parseProfile({ ...minimal, protocol: 'ws' }, 'c').profile;
    assert.equal(ws?.port, 80);
    assert.equal(ws?.path, '/mqtt');
    assert.equal(parseProfile({ ...minimal, protocol: 'wss', path: '/ws' }, 'c').profile?.path, '/ws');
  });

  test('reads every field of a full MQTT 5 profile', () => {
    const raw = {
      name: 'Plant',
      protocol: 'mqtts',
      host: 'broker.plant.local',
      port: 8884,
      servers: [{ host: 'backup.plant.local', port: 8885 }],
      protocolVersion: '5',
      clientId: 'fw-dev-1',
      username: 'dev',
      cleanStart: false,
      sessionExpiryInterval: 3600,
      keepalive: 30,
      connectTimeout: 5000,
      reconnect: { initialDelay: 500, maxDelay: 8000, jitter: 0 },
      will: { topic: 'devices/fw-dev-1/status', payload: 'offline', qos: 1, retain: true, properties: { willDelayInterval: 5, contentType: 'text/plain', userProperties: { site: 'a' } } },
      tls: { ca: 'certs/ca.pem', cert: 'certs/dev.crt', key: 'certs/dev.key', servername: 'broker', alpnProtocols: ['mqtt'], rejectUnauthorized: true, minVersion: 'TLSv1.2' },
      properties: { receiveMaximum: 100, maximumPacketSize: 65536, topicAliasMaximum: 10, requestResponseInformation: true, userProperties: { team: ['fw', 'qa'] } },
      subscriptions: [{ filter: 'devices/#', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }],
    };
    const { profile, problems } = parseProfile(raw, 'connections[0]');
    assert.deepEqual(problems, []);
    assert.equal(profile?.clean, false);
    assert.equal(profile?.sessionExpiryInterval, 3600);
    assert.deepEqual(profile?.servers, [{ host: 'backup.plant.local', port: 8885, protocol: undefined }]);
    assert.equal(profile?.will?.properties?.willDelayInterval, 5);
    assert.deepEqual(profile?.properties?.userProperties, { team: ['fw', 'qa'] });
    assert.deepEqual(profile?.subscriptions[0], { filter: 'devices/#', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 });
    assert.equal(profile?.tls?.minVersion, 'TLSv1.2');
  });

  const cases: Array<[string, unknown, string]> = [
    ['missing host', { name: 'A' }, 'connections[2].host: is required'],
    ['empty name', { name: ' ', host: 'h' }, 'connections[2].name: must not be empty'],
    ['port of the wrong type', { ...minimal, port: '1883' }, 'connections[2].port: must be a whole number, not the string "1883"'],
    ['port out of range', { ...minimal, port: 70000 }, 'connections[2].port: must be between 1 and 65535, not 70000'],
    ['unknown protocol', { ...minimal, protocol: 'tcp' }, 'connections[2].protocol: must be one of "mqtt", "mqtts", "ws", "wss", not "tcp"'],
    ['protocol version as a number', { ...minimal, protocolVersion: 5 }, 'connections[2].protocolVersion: must be one of "3.1", "3.1.1", "5", not 5'],
    ['misspelled field', { ...minimal, hots: 'x' }, 'connections[2].hots: unknown field (did you mean "host"?)'],
    ['tls on a plain protocol', { ...minimal, tls: { ca: 'ca.pem' } }, 'connections[2].tls: only applies to the mqtts and wss protocols'],
    ['cert without key', { ...minimal, protocol: 'mqtts', tls: { cert: 'c.pem' } }, 'connections[2].tls.key: tls.cert and tls.key must be set together for a client certificate'],
    ['v5 field on 3.1.1', { ...minimal, protocolVersion: '3.1.1', sessionExpiryInterval: 10 }, 'connections[2].sessionExpiryInterval: is an MQTT 5 setting; set protocolVersion to "5" or remove it'],
    ['will topic with a wildcard', { ...minimal, will: { topic: 'a/+' } }, 'connections[2].will.topic: Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.'],
    ['bad subscription filter', { ...minimal, subscriptions: [{ filter: 'a/#/b' }] }, "connections[2].subscriptions[0].filter: '#' must be the last level of a filter, e.g. a/b/#."],
    ['subscription qos 3', { ...minimal, subscriptions: [{ filter: 'a', qos: 3 }] }, 'connections[2].subscriptions[0].qos: must be one of 0, 1, 2, not 3'],
    ['maxDelay below initialDelay', { ...minimal, reconnect: { initialDelay: 5000, maxDelay: 1000 } }, 'connections[2].reconnect.maxDelay: must be at least initialDelay (5000)'],
    ['ws path without slash', { ...minimal, protocol: 'ws', path: 'mqtt' }, 'connections[2].path: must start with "/", e.g. "/mqtt"'],
    ['user property of the wrong type', { ...minimal, properties: { userProperties: { a: 1 } } }, 'connections[2].properties.userProperties.a: must be a string or an array of strings, not the number 1'],
    ['profile that is not an object', 'broker', 'connections[2]: must be an object, not the string "broker"'],
  ];
  for (const [label, raw, message] of cases) {
    test(`rejects ${label} with a precise message`, () => {
      const parsed = parseProfile(raw, 'connections[2]', 2);
      assert.equal(parsed.profile, undefined);
      assert.ok(parsed.problems.includes(message), `expected ${JSON.stringify(message)} in ${JSON.stringify(parsed.problems)}`);
    });
  }
});

describe('parseProfiles', () => {
  test('flags duplicate names and keeps the first', () => {
    const parsed = parseProfiles([minimal, { name: 'Other', host: 'h' }, { name: 'Local', host: 'other' }]);
    assert.ok(parsed[0].profile);
    assert.ok(parsed[1].profile);
    assert.equal(parsed[2].profile, undefined);
    assert.deepEqual(parsed[2].problems, ['connections[2].name: "Local" is already used by connections[0]; names must be unique']);
  });

  test('a setting edited into nonsense gives one message', () => {
    assert.deepEqual(parseProfiles({ name: 'x' })[0].problems, ['connections: must be an array of connection profiles']);
    assert.deepEqual(parseProfiles(undefined), []);
  });
});

describe('secretKey', () => {
  test('differs when host, port, user or name change, so a secret never follows a profile elsewhere', () => {
    const base = { name: 'A', host: 'h', port: 1883, username: 'u' };
    const key = secretKey(base, 'password');
    assert.notEqual(secretKey({ ...base, host: 'evil' }, 'password'), key);
    assert.notEqual(secretKey({ ...base, port: 1884 }, 'password'), key);
    assert.notEqual(secretKey({ ...base, username: 'v' }, 'password'), key);
    assert.notEqual(secretKey({ ...base, name: 'B' }, 'password'), key);
    assert.notEqual(secretKey(base, 'passphrase'), key);
    assert.equal(secretKey({ ...base, host: 'H' }, 'password'), key, 'host names are case-insensitive');
  });
});
