// TurnBatch: what the monitor is fed, once per turn of the event loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { TurnBatch } from '../../src/core/monitor/turnBatch';

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
