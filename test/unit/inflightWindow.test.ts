// The Receive Maximum window without a broker: places for QoS 1/2 only, strict arrival order (QoS 0 included),
// a smaller or larger CONNACK value applied at once, cancel and reset when the connection goes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InflightWindow, MAX_RECEIVE_MAXIMUM } from '../../src/core/publish/inflightWindow';
import { serverLimitProblem, serverLimitsOf } from '../../src/core/publish/serverLimits';

/** Enters `count` publishes, recording the order they start in and keeping their release functions. */
function fill(window: InflightWindow, labels: readonly string[], counted = true) {
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const cancelled: string[] = [];
  for (const label of labels) {
    window.enter(counted, (release) => (started.push(label), releases.set(label, release)), (error) => cancelled.push(`${label}: ${error.message}`));
  }
  return { started, releases, cancelled };
}

describe('InflightWindow', () => {
  test('at most Receive Maximum QoS 1/2 publishes start; the rest start in order as acknowledgements come back', () => {
    const window = new InflightWindow(3);
    const { started, releases } = fill(window, ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(started, ['a', 'b', 'c']);
    assert.equal(window.inFlight, 3);
    assert.equal(window.waiting, 2);
    releases.get('b')?.();
    releases.get('b')?.(); // a second release frees nothing more
    assert.deepEqual(started, ['a', 'b', 'c', 'd']);
    assert.equal(window.inFlight, 3);
    releases.get('a')?.();
    assert.deepEqual(started, ['a', 'b', 'c', 'd', 'e']);
    assert.equal(window.waiting, 0);
  });

  test('QoS 0 takes no place, but does not overtake QoS 1/2 publishes waiting before it', () => {
    const window = new InflightWindow(1);
    const order: string[] = [];
    let releaseFirst = (): void => undefined;
    window.enter(true, (release) => (order.push('q1-a'), (releaseFirst = release)), () => undefined);
    window.enter(true, () => order.push('q1-b'), () => undefined);
    window.enter(false, () => order.push('q0'), () => undefined);
    assert.deepEqual(order, ['q1-a'], 'q0 waits behind q1-b, which waits for the only place');
    releaseFirst();
    assert.deepEqual(order, ['q1-a', 'q1-b', 'q0'], 'q1-b takes the place, then q0 (needing none) follows in its turn');
    const alone = new InflightWindow(1);
    const free: string[] = [];
    for (let i = 0; i < 5; i++) alone.enter(false, () => free.push(`q0-${i}`), () => undefined);
    assert.deepEqual(free, ['q0-0', 'q0-1', 'q0-2', 'q0-3', 'q0-4'], 'QoS 0 alone is never held back');
  });

  test('a new CONNACK value applies at once: larger starts more, smaller waits until enough are acknowledged', () => {
    const window = new InflightWindow(2);
    const { started, releases } = fill(window, ['a', 'b', 'c', 'd', 'e']);
    window.resize(4);
    assert.deepEqual(started, ['a', 'b', 'c', 'd']);
    window.resize(1);
    releases.get('a')?.();
    releases.get('b')?.();
    releases.get('c')?.();
    assert.deepEqual(started, ['a', 'b', 'c', 'd'], 'd still holds the one place');
    releases.get('d')?.();
    assert.deepEqual(started, ['a', 'b', 'c', 'd', 'e']);
    window.resize(undefined);
    assert.equal(window.size, MAX_RECEIVE_MAXIMUM, 'no Receive Maximum in the CONNACK means 65,535');
    window.resize(0);
    assert.equal(window.size, MAX_RECEIVE_MAXIMUM, 'a value MQTT forbids is not used');
  });

  test('cancelWaiting rejects only the publishes that never started; reset frees the places of a client that is gone', () => {
    const window = new InflightWindow(2);
    const { started, releases, cancelled } = fill(window, ['a', 'b', 'c']);
    window.cancelWaiting(() => new Error('closed'));
    assert.deepEqual(cancelled, ['c: closed']);
    assert.equal(window.inFlight, 2);
    window.reset();
    assert.equal(window.inFlight, 0);
    releases.get('a')?.(); // a late release from the old client must not free a place of the new one
    const next = fill(window, ['d', 'e', 'f']);
    assert.deepEqual(next.started, ['d', 'e']);
    assert.equal(window.inFlight, 2);
    assert.deepEqual(started, ['a', 'b']);
  });
});

describe('serverLimitProblem', () => {
  const publish = { qos: 0, retain: false, v5: true } as const;
  test('QoS above the Maximum QoS, retain without Retain Available and a topic alias beyond the maximum are refused by name', () => {
    assert.equal(
      serverLimitProblem({ maximumQoS: 1 }, { ...publish, qos: 2 }),
      'The broker accepts at most QoS 1 (Maximum QoS in its CONNACK); this QoS 2 message was not sent. Publish it with QoS 0 or 1.',
    );
    assert.equal(
      serverLimitProblem({ maximumQoS: 0 }, { ...publish, qos: 1 }),
      'The broker accepts at most QoS 0 (Maximum QoS in its CONNACK); this QoS 1 message was not sent. Publish it with QoS 0.',
    );
    assert.equal(serverLimitProblem({ maximumQoS: 1 }, { ...publish, qos: 1 }), undefined);
    assert.equal(
      serverLimitProblem({ retainAvailable: false }, { ...publish, retain: true }),
      'The broker keeps no retained messages (Retain Available is 0 in its CONNACK); this message was not sent. Publish it without retain.',
    );
    assert.equal(serverLimitProblem({ retainAvailable: true }, { ...publish, retain: true }), undefined);
    assert.equal(
      serverLimitProblem({ topicAliasMaximum: 10 }, { ...publish, topicAlias: 11 }),
      "Topic alias 11 is above the broker's Topic Alias Maximum (10); this message was not sent. Use an alias from 1 to 10.",
    );
    assert.equal(
      serverLimitProblem({}, { ...publish, topicAlias: 1 }),
      'The broker accepts no topic aliases (its CONNACK has no Topic Alias Maximum); this message was not sent. Publish it without topicAlias.',
    );
    assert.equal(serverLimitProblem({ topicAliasMaximum: 10 }, { ...publish, topicAlias: 10 }), undefined);
    assert.equal(serverLimitProblem({}, { ...publish, topicAlias: 1, v5: false }), undefined, 'MQTT 3.1.1 sends no alias');
  });

  test('an MQTT 3.1.1 CONNACK limits nothing; an MQTT 5 one is read field by field', () => {
    assert.deepEqual(serverLimitsOf({ cmd: 'connack', sessionPresent: false }), {});
    assert.deepEqual(
      serverLimitsOf({ cmd: 'connack', sessionPresent: false, properties: { receiveMaximum: 20, maximumQoS: 1, retainAvailable: false, topicAliasMaximum: 10 } }),
      { receiveMaximum: 20, maximumQoS: 1, retainAvailable: false, topicAliasMaximum: 10 },
    );
  });
});
