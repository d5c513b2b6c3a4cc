// The replay scheduler on a virtual clock: messages go out at their recorded spacing scaled by speed, lateness
// does not add up, pause shifts the schedule, loop starts over, and a bounded number of publishes overlap.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReplayScheduler, type ReplayClock, type Timed } from '../../src/core/capture/scheduler';
import { planPublish, readReplayRequest, remapTopic } from '../../src/core/capture/replayPlan';
import type { CapturedMessage } from '../../src/core/capture/format';

/** A clock whose time moves only when someone sleeps (or a test moves it). */
class VirtualClock implements ReplayClock {
  time = 1000;
  sleeps = 0;
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps++;
    this.time += ms;
  }
}

async function* items(times: number[]): AsyncGenerator<Timed & { id: number }> {
  for (const [id, t] of times.entries()) yield { id, t };
}

describe('replay scheduler', () => {
  test('speed scales the recorded spacing; every send is on time', async () => {
    const clock = new VirtualClock();
    const sentAt: number[] = [];
    const scheduler = new ReplayScheduler(clock, { speed: 10 });
    const summary = await scheduler.run(() => items([5_000_000, 6_000_000, 6_500_000, 9_000_000]), async () => sentAt.push(clock.now()));
    assert.deepEqual(sentAt, [1000, 1100, 1150, 1400]);
    assert.deepEqual({ sent: summary.sent, failed: summary.failed, p99: summary.driftP99Ms, cancelled: summary.cancelled }, { sent: 4, failed: 0, p99: 0, cancelled: false });
    assert.equal(summary.elapsedMs, 400);
  });

  test('a slow send makes the next ones late only until the schedule catches up (no chained sleeps)', async () => {
    const clock = new VirtualClock();
    const sentAt: number[] = [];
    const scheduler = new ReplayScheduler(clock, { speed: 1, maxOutstanding: 1 });
    await scheduler.run(
      () => items([0, 10_000, 20_000, 30_000, 100_000]),
      async () => {
        sentAt.push(clock.now());
        if (sentAt.length === 1) clock.time += 25; // the first publish takes 25 ms
      },
    );
    assert.deepEqual(sentAt, [1000, 1025, 1025, 1030, 1100]);
  });

  test('pause shifts the rest of the schedule by the time paused; resume continues', async () => {
    const clock = new VirtualClock();
    const sentAt: number[] = [];
    const scheduler = new ReplayScheduler(clock, { speed: 1 });
    const running = scheduler.run(
      () => items([0, 50_000, 100_000]),
      async () => {
        sentAt.push(clock.now());
        if (sentAt.length === 1) {
          scheduler.pause();
          setTimeout(() => {
            clock.time += 500;
            scheduler.resume();
          }, 5);
        }
      },
    );
    const summary = await running;
    assert.deepEqual(sentAt, [1000, 1550, 1600]);
    assert.equal(summary.driftP99Ms, 0);
  });

  test('loop starts over one average spacing after the end, until cancelled', async () => {
    const clock = new VirtualClock();
    const sentAt: number[] = [];
    const scheduler = new ReplayScheduler(clock, { speed: 2, loop: true });
    const summary = await scheduler.run(
      () => items([0, 100_000, 200_000]),
      async () => {
        sentAt.push(clock.now());
        if (sentAt.length === 7) scheduler.cancel();
      },
    );
    assert.deepEqual(sentAt, [1000, 1050, 1100, 1150, 1200, 1250, 1300]);
    assert.equal(summary.cancelled, true);
    assert.equal(summary.sent, 7);
  });

  test("speed 'max' never sleeps, keeps at most maxOutstanding under way, and counts failures", async () => {
    const clock = new VirtualClock();
    let underWay = 0;
    let most = 0;
    const scheduler = new ReplayScheduler(clock, { speed: 'max', maxOutstanding: 4 });
    const summary = await scheduler.run(
      () => items(Array.from({ length: 50 }, (_, i) => i * 1_000_000)),
      async (item) => {
        underWay++;
        most = Math.max(most, underWay);
        await new Promise((resolve) => setImmediate(resolve));
        underWay--;
        if (item.id % 10 === 0) throw new Error(`refused ${item.id}`);
      },
    );
    assert.equal(clock.sleeps, 0);
    assert.equal(most, 4);
    assert.deepEqual({ sent: summary.sent, failed: summary.failed, firstError: summary.firstError, p99: summary.driftP99Ms }, { sent: 50, failed: 5, firstError: 'refused 0', p99: null });
  });
});

describe('replay plan', () => {
  const recorded = (topic: string, t: number): CapturedMessage => ({ kind: 'message', t, topic, payload: new Uint8Array([1]), qos: 1, retain: true, dup: false, direction: 'in', properties: { userProperties: [['k', 'v']], subscriptionIdentifiers: [3], topicAlias: 2 } });

  test('time range, filters, topic map then prefix, overrides; subscription ids and aliases are not replayed', () => {
    const problems: string[] = [];
    const request = readReplayRequest({ speed: 10, from: 1, to: 5, filters: ['site1/#'], topicMap: { 'site1/+/temp': 'lab', 'site1/#': 'site2' }, topicPrefix: 'replay/', qos: 0 }, problems);
    assert.deepEqual(problems, []);
    assert.ok(request);
    assert.equal(planPublish(recorded('site1/a/b', 500_000), request), undefined, 'before from');
    assert.equal(planPublish(recorded('site1/a/b', 5_500_000), request), undefined, 'after to');
    assert.equal(planPublish(recorded('other/a', 2_000_000), request), undefined, 'not in filters');
    assert.deepEqual(planPublish(recorded('site1/a/b', 2_000_000), request), { t: 2_000_000, topic: 'replay/site2/a/b', payload: new Uint8Array([1]), qos: 0, retain: true, properties: { userProperties: [['k', 'v']] } });
    assert.equal(remapTopic('site1/x/temp', request), 'replay/lab/x/temp');
    assert.equal(remapTopic('unmapped', { topicMap: [['unmapped', 'exact/one']] }), 'exact/one');
  });

  test('bad arguments: a speed of 0 or "fast", a time range backwards, a bad filter, an unknown field', () => {
    const problems: string[] = [];
    readReplayRequest({ speed: 0 }, problems);
    readReplayRequest({ speed: 'fast' }, problems);
    readReplayRequest({ from: 5, to: 2, filters: ['a/#/b'], sped: 2 }, problems);
    assert.deepEqual(problems, [
      'replay.speed: must be a number from 0.1 to 100 or "max", not the number 0',
      'replay.speed: must be a number from 0.1 to 100 or "max", not the string "fast"',
      "replay.filters[0]: '#' must be the last level of a filter, e.g. a/b/#.",
      'replay.to: must be after from (5 s), not 2',
      'replay.sped: unknown field (did you mean "speed"?)',
    ]);
  });
});
