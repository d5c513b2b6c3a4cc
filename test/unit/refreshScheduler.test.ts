import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_ELEMENTS_PER_REFRESH, SLOW_REFRESH_PERIODS, TopicRefreshScheduler, type VisibleTree } from '../../src/core/refreshScheduler';
import { TopicTree } from '../../src/core/topicTree';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const message = (topic: string): MqttMessage => ({ topic, payload: new Uint8Array([1]), qos: 0, retain: false, dup: false, receivedAt: 1, seq: 1, direction: 'in' });

function setup(): { tree: TopicTree; scheduler: TopicRefreshScheduler<string>; visible: Array<VisibleTree<string>>; expanded: Set<unknown>; rate: { value: number } } {
  const tree = new TopicTree();
  const expanded = new Set<unknown>();
  const rate = { value: 0 };
  const scheduler = new TopicRefreshScheduler<string>({ isExpanded: (node) => expanded.has(node), rateOf: () => rate.value });
  return { tree, scheduler, expanded, rate, visible: [{ connection: 'c', root: 'ROOT', tree }] };
}

describe('TopicRefreshScheduler', () => {
  test('changed leaves refresh on the next tick; the root and expanded branches wait for the slow turn', () => {
    const { tree, scheduler, visible, expanded } = setup();
    const a = tree.add(message('a/x'));
    const branch = tree.find('a');
    assert.ok(branch);
    expanded.add(branch);
    const ticks = Array.from({ length: SLOW_REFRESH_PERIODS }, (_, i) => {
      if (i === 1) tree.add(message('a/x'));
      return scheduler.next(visible, 0);
    });
    assert.deepEqual(ticks.slice(0, SLOW_REFRESH_PERIODS - 1), [[a], [a], []]);
    assert.deepEqual(ticks.at(-1), ['ROOT', branch], 'once a second: the root and the expanded branch');
  });

  test('nothing changed: nothing refreshes but the root, once, to show its first figures', () => {
    const { scheduler, visible } = setup();
    for (let i = 0; i < 3 * SLOW_REFRESH_PERIODS; i++) assert.deepEqual(scheduler.next(visible, 0), i === SLOW_REFRESH_PERIODS - 1 ? ['ROOT'] : [], `tick ${i}`);
  });

  test('more changed nodes than one refresh takes redraws everything; a new rate refreshes the root; faded markers refresh', () => {
    const { tree, scheduler, visible, rate } = setup();
    for (let i = 0; i <= MAX_ELEMENTS_PER_REFRESH; i++) tree.add(message(`t${i}`));
    assert.equal(scheduler.next(visible, 0), 'all');
    for (let i = 0; i < SLOW_REFRESH_PERIODS - 1; i++) scheduler.next(visible, 0); // the slow turn takes the root
    rate.value = 5;
    const node = tree.add(message('t1'));
    scheduler.next(visible, 0);
    scheduler.fadeAt(node, 100);
    assert.deepEqual(scheduler.next(visible, 99), []);
    assert.deepEqual(scheduler.next(visible, 100), [node]);
    assert.deepEqual(scheduler.next(visible, 200), ['ROOT'], 'the slow turn brings the new rate');
  });

  test('a node asked to refresh at two times refreshes at the earlier (a fading marker and a rate shown)', () => {
    const { tree, scheduler, visible } = setup();
    const node = tree.add(message('busy'));
    scheduler.next(visible, 0);
    scheduler.fadeAt(node, 1000);
    scheduler.fadeAt(node, 3000);
    assert.deepEqual(scheduler.next(visible, 999), []);
    assert.deepEqual(scheduler.next(visible, 1000), [node]);
    const later = scheduler.next(visible, 3000);
    assert.ok(Array.isArray(later) && !later.includes(node), 'refreshed once; the view asks again when it draws the node');
  });
});
