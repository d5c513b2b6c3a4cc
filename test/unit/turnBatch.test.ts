// TurnBatch and feedReceived: how received messages reach the monitor, once per turn of the event loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AlertEngine } from '../../src/core/monitor/alertEngine';
import { BrokerStatsBook } from '../../src/core/monitor/brokerStats';
import { ManualClock } from '../../src/core/monitor/clock';
import { BUCKET_MS, ConnectionHealth } from '../../src/core/monitor/healthHistory';
import { feedReceived, type MonitorParts, type ReceivedMessage } from '../../src/core/monitor/monitorFeed';
import { parseAlertRules } from '../../src/core/monitor/ruleParse';
import { TurnBatch } from '../../src/core/monitor/turnBatch';
import { parseWatches, WatchBook } from '../../src/core/monitor/watches';

const unexpected = (error: unknown): never => assert.fail(`the handler threw: ${String(error)}`);

test('items of one turn are handed on together, in order, after the turn; flush hands them on now', async () => {
  const batches: number[][] = [];
  const batch = new TurnBatch<number>((items) => batches.push([...items]), unexpected);
  batch.push(1);
  batch.push(2);
  batch.push(3);
  assert.deepEqual(batches, [], 'nothing while the turn runs');
  await nextTurn();
  assert.deepEqual(batches, [[1, 2, 3]]);
  batch.push(4);
  batch.flush();
  assert.deepEqual(batches, [[1, 2, 3], [4]]);
  await nextTurn();
  assert.deepEqual(batches, [[1, 2, 3], [4]], 'the turn\'s end finds nothing left: no empty batch');
});

test('past maxBatch items the batch is handed on at once; dispose drops what waits', async () => {
  const batches: number[][] = [];
  const batch = new TurnBatch<number>((items) => batches.push([...items]), unexpected, 3);
  for (let i = 0; i < 7; i++) batch.push(i);
  assert.deepEqual(batches, [[0, 1, 2], [3, 4, 5]]);
  batch.dispose();
  batch.push(7);
  await nextTurn();
  assert.deepEqual(batches, [[0, 1, 2], [3, 4, 5]]);
});

test('a handler that throws reaches onError, not the event loop, and the next batch is handed on', async () => {
  const errors: unknown[] = [];
  const handled: number[][] = [];
  const batch = new TurnBatch<number>((items) => {
    if (items.includes(1)) throw new Error('rule failed');
    handled.push([...items]);
  }, (error) => errors.push(error));
  batch.push(1);
  await nextTurn();
  batch.push(2);
  await nextTurn();
  assert.deepEqual(errors.map((e) => (e as Error).message), ['rule failed']);
  assert.deepEqual(handled, [[2]]);
});

test('feedReceived: a batch reaches the rules, the watches, the health counts and the $SYS figures of its connection', () => {
  const parts = monitorParts();
  const fired: string[] = [];
  parts.engine.onEvent((event) => fired.push(`${event.kind} ${event.alert.rule.name} ${event.alert.value}`));
  const at = (topic: string, payload: string, receivedAt: number): ReceivedMessage => ({
    connection: 'plant',
    message: { topic, payload: new TextEncoder().encode(payload), qos: 0, retain: false, dup: false, receivedAt, seq: 0, direction: 'in' },
  });
  feedReceived(parts, [at('dev/1/status', 'offline', 1000), at('dev/1/temp', '21.5', 2000), at('$SYS/broker/clients/connected', '7', 3000)]);
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
