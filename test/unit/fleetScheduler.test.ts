// The rate scheduler on a virtual clock: exact send counts per interval, jitter that does not drift the rate,
// clients in due order, streams that end, and no catch-up burst after a stall.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SeededRandom } from '../../src/core/fleet/random';
import { RateScheduler } from '../../src/core/fleet/scheduler';

/** Advances a virtual clock in `stepMs` steps to `untilMs`, recording every send. */
function drive(scheduler: RateScheduler, untilMs: number, stepMs: number, visit: (key: number, due: number, now: number) => boolean = () => true): Array<{ key: number; due: number; now: number }> {
  const sends: Array<{ key: number; due: number; now: number }> = [];
  for (let now = 0; now <= untilMs; now += stepMs) {
    scheduler.takeDue(now, (key, due) => {
      sends.push({ key, due, now });
      return visit(key, due, now);
    });
  }
  return sends;
}

describe('rate scheduler', () => {
  test('without jitter each key sends exactly once per interval, in due order', () => {
    const scheduler = new RateScheduler();
    scheduler.add(0, 0, 100, 0, Math.random);
    scheduler.add(1, 50, 250, 0, Math.random);
    const sends = drive(scheduler, 1000, 10);
    assert.equal(sends.filter((s) => s.key === 0).length, 11); // 0, 100, ... 1000
    assert.deepEqual(sends.filter((s) => s.key === 1).map((s) => s.due), [50, 300, 550, 800]);
    assert.ok(sends.every((s, i) => i === 0 || s.due >= sends[i - 1].due || s.now > sends[i - 1].now));
    assert.ok(sends.every((s) => s.now - s.due < 10 && s.now >= s.due), 'no send is early or later than one step');
  });

  test('jitter moves sends but keeps the rate', () => {
    const random = new SeededRandom(3);
    const scheduler = new RateScheduler();
    for (let key = 0; key < 100; key++) scheduler.add(key, key, 100, 0.5, () => random.next());
    const sends = drive(scheduler, 60_000, 5);
    // 100 keys at 10/s for 60 s: 60,000 sends, give or take the first and last interval of each.
    assert.ok(Math.abs(sends.length - 60_000) <= 100, `${sends.length} sends`);
    const offsets = sends.map((s) => ((s.due - (s.key % 100)) % 100 + 100) % 100);
    assert.ok(offsets.some((o) => o > 20 && o < 80), 'some sends moved by more than 20 % of the interval');
  });

  test('a key unscheduled by its visitor stops; the rest go on', () => {
    const scheduler = new RateScheduler();
    scheduler.add(0, 0, 10, 0, Math.random);
    scheduler.add(1, 0, 10, 0, Math.random);
    const counts = [0, 0];
    drive(scheduler, 1000, 1, (key) => ++counts[key] < (key === 0 ? 5 : Infinity));
    assert.deepEqual(counts, [5, 101]);
    assert.equal(scheduler.size, 1);
  });

  test('after a stall the missed sends are skipped, not sent in a burst', () => {
    const scheduler = new RateScheduler();
    scheduler.add(0, 0, 10, 0, Math.random);
    drive(scheduler, 100, 10);
    const burst: number[] = [];
    scheduler.takeDue(3000, (key) => burst.push(key) > 0);
    assert.equal(burst.length, 1, 'one send after a 2.9 s stall');
    assert.equal(scheduler.skipped, 289);
    assert.ok((scheduler.nextDue() ?? 0) > 3000);
    // A shorter pause (under a second) is caught up: every send is made.
    const caughtUp: number[] = [];
    scheduler.takeDue(3500, (key) => caughtUp.push(key) > 0);
    assert.equal(caughtUp.length, 50);
    assert.equal(scheduler.skipped, 289);
  });
});
