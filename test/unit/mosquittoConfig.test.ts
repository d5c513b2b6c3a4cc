// The mosquitto.conf the extension writes, how mosquitto's output is read, and which engine a setting picks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chooseEngine } from '../../src/core/localBrokerEngine';
import { mosquittoConfig, mosquittoErrorLine, mosquittoVersion } from '../../src/core/mosquittoConfig';

const lines = (text: string): string[] => text.trim().split('\n');

describe('mosquitto config', () => {
  test('loopback: anonymous clients, MQTT and WebSocket listeners on that address, persistence in the data folder', () => {
    const config = lines(mosquittoConfig({ host: '127.0.0.1', port: 1883, wsPort: 9001, dataDir: '/data/local-broker/mosquitto', user: 'root' }));
    for (const line of ['allow_anonymous true', 'listener 1883 127.0.0.1', 'protocol mqtt', 'listener 9001 127.0.0.1', 'protocol websockets', 'persistence true', 'persistence_location /data/local-broker/mosquitto/', 'persistence_file mosquitto.db', 'user root', 'sys_interval 2', 'log_dest stderr']) {
      assert.ok(config.includes(line), `${line} in\n${config.join('\n')}`);
    }
    assert.ok(config.indexOf('listener 1883 127.0.0.1') < config.indexOf('protocol mqtt'), 'protocol follows its listener');
  });

  test('another address allows anonymous clients only once the user confirmed; no data folder: no persistence, no websockets', () => {
    const refused = lines(mosquittoConfig({ host: '0.0.0.0', port: 1883 }));
    assert.ok(refused.includes('allow_anonymous false'));
    assert.ok(refused.includes('persistence false'));
    assert.ok(!refused.some((line) => line.startsWith('user ') || line === 'protocol websockets'));
    assert.ok(lines(mosquittoConfig({ host: '0.0.0.0', port: 1883, anonymousOffLoopback: true })).includes('allow_anonymous true'));
  });

  test('a data folder that mosquitto.conf cannot hold is refused with a sentence', () => {
    assert.throws(() => mosquittoConfig({ host: '127.0.0.1', port: 1883, dataDir: '/home/me/#1/storage' }), {
      message: 'The data folder "/home/me/#1/storage/" cannot be written to mosquitto.conf (it holds "#" or a line break).',
    });
  });

  test('the line that says why mosquitto stopped, and its version', () => {
    const portInUse = ['1700000000: mosquitto version 2.0.11 starting', '1700000000: Config loaded from /x/mosquitto.conf.', '1700000000: Opening ipv4 listen socket on port 1883.', '1700000000: Error: Address already in use'].join('\n');
    assert.equal(mosquittoErrorLine(portInUse), 'Error: Address already in use');
    assert.equal(mosquittoErrorLine('mosquitto version 2.0.11 starting\nUnknown configuration variable "foo".\n'), 'Unknown configuration variable "foo".');
    assert.equal(mosquittoErrorLine('mosquitto version 2.0.11 starting\n'), undefined);
    assert.equal(mosquittoVersion('mosquitto version 2.0.11\n\nmosquitto is an MQTT v5.0/v3.1.1/v3.1 broker.'), '2.0.11');
    assert.equal(mosquittoVersion('usage: something else'), undefined);
  });

  test('auto prefers mosquitto when one is found; the other settings are what they say', () => {
    assert.equal(chooseEngine('auto', true), 'mosquitto');
    assert.equal(chooseEngine('auto', false), 'embedded');
    assert.equal(chooseEngine('embedded', true), 'embedded');
    assert.equal(chooseEngine('mosquitto', false), 'mosquitto');
  });
});
