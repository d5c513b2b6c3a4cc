import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { ConnectionStability } from '../../src/core/connectionStability';
import { closedAfterConnectMessage, describeNetworkError } from '../../src/core/networkErrors';

describe('ConnectionStability', () => {
  test('the backoff starts over only after a connection stayed up for the stable time', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      const stability = new ConnectionStability(() => Date.now(), 10_000);
      let resets = 0;
      stability.connected(() => resets++);
      mock.timers.tick(9_999);
      assert.equal(stability.closed(false), false, 'the first short close is not yet a pattern');
      mock.timers.tick(5_000);
      assert.equal(resets, 0, 'a connection that closed early never resets the backoff');
      stability.connected(() => resets++);
      mock.timers.tick(10_000);
      assert.equal(resets, 1);
    } finally {
      mock.timers.reset();
    }
  });

  test('two accepted connections in a row closed early without a reason are a pattern; a reason or a failed attempt is not', () => {
    let now = 0;
    const stability = new ConnectionStability(() => now, 10_000);
    const shortConnection = (explained: boolean): boolean => {
      stability.connected(() => undefined);
      now += 100;
      return stability.closed(explained);
    };
    assert.deepEqual([shortConnection(false), shortConnection(false), shortConnection(false)], [false, true, true]);
    assert.equal(shortConnection(true), false, 'a DISCONNECT reason or socket error explains it');
    assert.equal(shortConnection(false), false);
    assert.equal(stability.closed(false), false, 'an attempt that never got a CONNACK starts the count over');
    assert.equal(shortConnection(false), false);
    stability.connected(() => undefined);
    now += 10_000;
    assert.equal(stability.closed(false), false, 'a stable connection is not a short one');
  });
});

describe('sentences for connections that end', () => {
  test('a keepalive timeout says how long the broker was silent', () => {
    assert.equal(describeNetworkError(new Error('Keepalive timeout'), { host: 'b', port: 1883, keepalive: 60 }), 'No answer from b:1883 for 90 s (keepalive 60 s): the broker or the network stopped responding.');
    assert.equal(describeNetworkError(new Error('Keepalive timeout'), { host: 'b', port: 1883 }), 'No answer from b:1883: the broker or the network stopped responding.');
  });

  test('a broker that keeps closing accepted connections points at a second client with the same id', () => {
    assert.equal(closedAfterConnectMessage('dev-1'), 'The broker keeps closing the connection soon after accepting it, without a reason. Another client connecting with the same client id ("dev-1") does this; give each client its own id.');
  });
});
