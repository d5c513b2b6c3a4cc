import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MessageHistory } from '../../src/core/history';
import { PanelFeed, type FeedStatus } from '../../src/core/history/panelFeed';

function feedOf(history: MessageHistory): { feed: PanelFeed; posts: FeedStatus[] } {
  const posts: FeedStatus[] = [];
  const feed = new PanelFeed(() => history, () => 'connected', (status) => posts.push(status));
  return { feed, posts };
}

const append = (history: MessageHistory, from: number, count: number): void => {
  for (let i = from; i < from + count; i++) history.append({ topic: `t/${i}`, payload: new TextEncoder().encode(`m${i}`), qos: 0, retain: false, dup: false, receivedAt: i, seq: i, direction: 'in' });
};

describe('PanelFeed', () => {
  test('a status is posted only when it changed; it carries no rows unless the list follows', () => {
    const history = new MessageHistory();
    const { feed, posts } = feedOf(history);
    append(history, 0, 3);
    feed.tick();
    feed.tick();
    assert.equal(posts.length, 1);
    assert.deepEqual({ count: posts[0].count, offset: posts[0].offset, total: posts[0].total, tail: posts[0].tail }, { count: 3, offset: 0, total: 3, tail: undefined });
  });

  test('a following list gets the newest rows with each status, so it needs not ask for them', () => {
    const history = new MessageHistory({ maxMessages: 10 });
    const { feed, posts } = feedOf(history);
    feed.follow(4);
    append(history, 0, 2);
    feed.tick();
    append(history, 2, 13); // 15 appended, the first 5 evicted
    feed.tick();
    assert.deepEqual(posts.map((p) => p.tail && [p.tail.start, p.tail.rows.map((r) => r.preview)]), [
      [0, ['m0', 'm1']],
      [11, ['m11', 'm12', 'm13', 'm14']],
    ]);
    assert.deepEqual(posts[1].tail?.rows.map((r) => r.id), [12, 13, 14, 15], 'the rows of stable indexes 11..14 are messages 12..15');
    feed.follow(0);
    append(history, 15, 1);
    feed.tick();
    assert.equal(posts[2].tail, undefined, 'scrolled away: statuses only');
  });
});
