// TurnBatch and feedReceived: how received messages reach the monitor, once per turn of the event loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AlertEngine } from '../../src/core/monitor/alertEngine';
import { BrokerStatsBook } from '../../src/core/monitor/brokerStats';
import { ManualClock } from '../../src/core/monitor/clock';
import { BUCKET_MS, ConnectionHealth } from '../../src/core/monitor/healthHistory';
import { feedReceived, type MonitorParts } from '../../src/core/monitor/monitorFeed';
import { parseAlertRules } from '../../src/core/monitor/ruleParse';
import { TurnBatch, type ReceivedBatch } from '../../src/core/monitor/turnBatch';
import { parseWatches, WatchBook } from '../../src/core/monitor/watches';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const unexpected = (error: unknown): never => assert.fail(`the handler threw: ${String(error)}`);
const message = (topic: string, payload = '', receivedAt = 0): MqttMessage => ({ topic, payload: new TextEncoder().encode(payload), qos: 0, retain: false, dup: false, receivedAt, seq: 0, direction: 'in' });
/** What a handler saw: `connection topic` per message (the batch itself is valid only during the call). */
const seen = (batch: ReceivedBatch): string[] => Array.from({ length: batch.length }, (_, i) => `${batch.connections[i]} ${batch.messages[i]?.topic}`);

test('messages of one turn are handed on together, in order, after the turn; flush hands them on now', async () => {
  const batches: string[][] = [];
  const batch = new TurnBatch((items) => batches.push(seen(items)), unexpected);
  batch.push('a', message('t/1'));
  batch.push('b', message('t/2'));
  batch.push('a', message('t/3'));
  assert.deepEqual(batches, [], 'nothing while the turn runs');
  await nextTurn();
  assert.deepEqual(batches, [['a t/1', 'b t/2', 'a t/3']]);
  batch.push('a', message('t/4'));
  batch.flush();
  assert.deepEqual(batches, [['a t/1', 'b t/2', 'a t/3'], ['a t/4']]);
  await nextTurn();
  assert.deepEqual(batches.length, 2, 'the turn\'s end finds nothing left: no empty batch');
});

test('past maxBatch messages the batch is handed on at once; dispose drops what waits', async () => {
  const batches: string[][] = [];
  const batch = new TurnBatch((items) => batches.push(seen(items)), unexpected, 3);
  for (let i = 0; i < 7; i++) batch.push('a', message(`t/${i}`));
  assert.deepEqual(batches, [['a t/0', 'a t/1', 'a t/2'], ['a t/3', 'a t/4', 'a t/5']]);
  batch.dispose();
  batch.push('a', message('t/7'));
  await nextTurn();
  assert.equal(batches.length, 2);
});


test('a handed-on batch keeps no message alive, and a smaller batch after a bigger one sees only its own', () => {
  const handed: ReceivedBatch[] = [];
  const batches: string[][] = [];
  const batch = new TurnBatch((items) => {
    handed.push(items);
    batches.push(seen(items));
  }, unexpected);
  for (let i = 0; i < 5; i++) batch.push('a', message(`big/${i}`));
  batch.flush();
  batch.push('b', message('small/0'));
  batch.push('b', message('small/1'));
  batch.flush();
  batch.push('c', message('after'));
  batch.flush();
  assert.deepEqual(batches, [['a big/0', 'a big/1', 'a big/2', 'a big/3', 'a big/4'], ['b small/0', 'b small/1'], ['c after']]);
  for (const done of handed) {
    assert.equal(done.length, 0, 'emptied once handed on');
    assert.ok(done.messages.every((m) => m === undefined) && done.memos.every((m) => m === undefined) && done.connections.every((c) => c === undefined), 'no message, memo or connection left in the columns');
  }
});

test('the default bound: the 256th waiting message hands the batch on within the same turn', () => {
  const sizes: number[] = [];
  const batch = new TurnBatch((items) => sizes.push(items.length), unexpected);
  for (let i = 0; i < 600; i++) batch.push('a', message(`t/${i}`));
  assert.deepEqual(sizes, [256, 256], 'two full batches handed on while the turn runs');
  batch.flush();
  assert.deepEqual(sizes, [256, 256, 88]);
});
test('a message pushed or flushed from inside the handler is neither lost nor handed on twice', async () => {
  const batches: string[][] = [];
  let inside = 0;
  const batch = new TurnBatch((items) => {
    batches.push(seen(items));
    if (inside++ === 0) {
      batch.push('a', message('from inside'));
      batch.flush();
      batch.push('a', message('after the inner flush'));
    }
  }, unexpected);
  batch.push('a', message('t/1'));
  batch.push('a', message('t/2'));
  batch.flush();
  await nextTurn();
  assert.deepEqual(batches, [['a t/1', 'a t/2'], ['a from inside'], ['a after the inner flush']]);
});

test('a handler that throws reaches onError, not the event loop, and the next batch is handed on', async () => {
  const errors: unknown[] = [];
  const handled: string[][] = [];
  const batch = new TurnBatch((items) => {
    if (items.messages[0]?.topic === 't/1') throw new Error('rule failed');
    handled.push(seen(items));
  }, (error) => errors.push(error));
  batch.push('a', message('t/1'));
  await nextTurn();
  batch.push('a', message('t/2'));
  await nextTurn();
  assert.deepEqual(errors.map((e) => (e as Error).message), ['rule failed']);
  assert.deepEqual(handled, [['a t/2']]);
});

test('feedReceived: a batch reaches the rules, the watches, the health counts and the $SYS figures of its connection', () => {
  const parts = monitorParts();
  const fired: string[] = [];
  parts.engine.onEvent((event) => fired.push(`${event.kind} ${event.alert.rule.name} ${event.alert.value}`));
  const batch = new TurnBatch((items) => feedReceived(parts, items), unexpected);
  batch.push('plant', message('dev/1/status', 'offline', 1000));
  batch.push('plant', message('dev/1/temp', '21.5', 2000));
  batch.push('plant', message('$SYS/broker/clients/connected', '7', 3000));
  batch.flush();
  assert.deepEqual(fired, ['fired offline offline']);
  assert.equal(parts.watches.list()[0]?.text, '21.5');
  parts.healthOf('plant').tick(BUCKET_MS);
  assert.equal(parts.healthOf('plant').inPerSecond.last(), 3 / (BUCKET_MS / 1000), 'all three messages counted in');
  assert.equal(parts.brokers.get('plant')?.figures.clientsConnected, 7);
});

function monitorParts(): MonitorParts {
  const engine = new AlertEngine(new ManualClock(0));
  engine.setRules(parseAlertRules([{ name: 'offline', topic: 'dev/+/status', when: { equals: 'offline' } }], { savedMessages: new Set() }).rules);
  engine.connectionState('plant', true);
  const watches = new WatchBook();
  watches.setWatches(parseWatches([{ topic: 'dev/1/temp' }]).watches);
  const health = new ConnectionHealth('plant', 0);
  return { engine, watches, brokers: new BrokerStatsBook(), healthOf: () => health };
}
