import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrivalClock } from '../../src/core/arrivalClock';

test('messages handled in one turn of the event loop share one arrival time; the next turn reads the clock again', async () => {
  let reads = 0;
  const clock = arrivalClock(() => 1000 + ++reads);
  assert.deepEqual([clock(), clock(), clock()], [1001, 1001, 1001]);
  await Promise.resolve(); // a microtask is still the same turn
  assert.equal(clock(), 1001);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual([clock(), clock()], [1002, 1002]);
  assert.equal(reads, 2);
});
