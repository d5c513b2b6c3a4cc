// Local broker settings and command arguments: what is accepted, and the sentence for what is not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackAddress, listenOptions, readLocalBrokerFields, validatePortText } from '../../src/core/localBrokerOptions';

function read(value: unknown): { fields: ReturnType<typeof readLocalBrokerFields>; problems: string[] } {
  const problems: string[] = [];
  const fields = readLocalBrokerFields(value, 'startLocalBroker', problems);
  return { fields, problems };
}

describe('local broker options', () => {
  test('keeps only the fields given, and takes 0 as "no WebSocket listener"', () => {
    assert.deepEqual(read({}), { fields: {}, problems: [] });
    assert.deepEqual(read({ port: 1884, bindAddress: '0.0.0.0', websocketPort: 9001 }), { fields: { port: 1884, bindAddress: '0.0.0.0', websocketPort: 9001 }, problems: [] });
    assert.deepEqual(listenOptions({ port: 1883, bindAddress: '127.0.0.1', websocketPort: 0, engine: 'auto' }), { port: 1883, host: '127.0.0.1' });
    assert.deepEqual(listenOptions({ port: 1883, bindAddress: '::1', websocketPort: 9001, engine: 'auto' }), { port: 1883, host: '::1', wsPort: 9001 });
  });

  test('names every wrong field and drops it', () => {
    const { fields, problems } = read({ port: 0, bindAddress: 'example.com', websocketPort: 1.5, extra: true });
    assert.deepEqual(fields, {});
    assert.deepEqual(problems, [
      'startLocalBroker.port: must be between 1 and 65535, not 0',
      'startLocalBroker.websocketPort: must be a whole number, not the number 1.5',
      'startLocalBroker.bindAddress: must be an IP address of this machine such as "127.0.0.1" or "0.0.0.0", not "example.com"',
      'startLocalBroker.extra: unknown field',
    ]);
    assert.deepEqual(read({ port: 1883, websocketPort: 1883 }).problems, ['startLocalBroker.websocketPort: must differ from port (1883)']);
  });

  test('the engine may be given in the argument; another value is named', () => {
    assert.deepEqual(read({ engine: 'embedded' }), { fields: { engine: 'embedded' }, problems: [] });
    assert.deepEqual(read({ engine: 'hivemq' }).problems, ['startLocalBroker.engine: must be one of "auto", "mosquitto", "embedded", not "hivemq"']);
  });

  test('a typed port is a whole number from 1 to 65535', () => {
    for (const ok of ['1', '1883', ' 65535 ']) assert.equal(validatePortText(ok), undefined, ok);
    for (const bad of ['', '0', '65536', '18.5', '1e3', 'abc', '-1']) assert.equal(validatePortText(bad), 'Enter a whole number from 1 to 65535.', bad);
  });

  test('loopback is 127.0.0.0/8, ::1 and localhost; anything else reaches the network', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(address), true, address);
    for (const address of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', '128.0.0.1']) assert.equal(isLoopbackAddress(address), false, address);
  });
});
