import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { MqttMessage } from '../../src/shared/mqttMessage';
import { TopicTree, isSystemTopic } from '../../src/core/topicTree';
import type { TopicNode } from '../../src/core/topicTree';

let seq = 0;
function msg(topic: string, payload = 'x', options: { retain?: boolean; at?: number } = {}): MqttMessage {
  return {
    topic,
    payload: new TextEncoder().encode(payload),
    qos: 0,
    retain: options.retain ?? false,
    dup: false,
    receivedAt: options.at ?? 1_700_000_000_000 + seq,
    seq: seq++,
    direction: 'in',
  };
}

/** The node of a topic, failing the test when it is missing. */
function node(tree: TopicTree, topic: string): TopicNode {
  const n = tree.find(topic);
  assert.ok(n, `no node for ${JSON.stringify(topic)}`);
  return n;
}

const levels = (nodes: TopicNode[]): string[] => nodes.map((n) => n.level);
const topics = (nodes: Iterable<TopicNode>): string[] => [...nodes].map((n) => (n.parent === undefined ? '<root>' : n.topic)).sort();

describe('TopicTree structure', () => {
  test('empty levels are distinct topics', () => {
    const tree = new TopicTree();
    for (const t of ['a//b', '/a', 'a/', 'a', '']) tree.add(msg(t));
    assert.equal(tree.size, 5);
    assert.deepEqual(levels(tree.roots()), ['', 'a']);
    const a = node(tree, 'a');
    assert.deepEqual(levels(tree.children(a)), ['']);
    const aEmpty = node(tree, 'a/');
    assert.equal(aEmpty.level, '');
    assert.equal(aEmpty.messageCount, 1);
    assert.equal(aEmpty.parent, a);
    assert.equal(node(tree, 'a//b').parent, aEmpty);
    const empty = node(tree, '');
    assert.equal(empty.parent, tree.root);
    assert.equal(empty.messageCount, 1);
    assert.equal(node(tree, '/a').parent, empty);
    assert.equal(a.topicCount, 3); // a, a/, a//b
    assert.equal(empty.topicCount, 2); // '', /a
    assert.equal(tree.find('a/b'), undefined);
    assert.equal(tree.find('//'), undefined);
  });

  test('intermediate levels exist without messages of their own', () => {
    const tree = new TopicTree();
    tree.add(msg('x/y/z'));
    const x = node(tree, 'x');
    assert.equal(x.messageCount, 0);
    assert.equal(x.lastMessage, undefined);
    assert.equal(x.totalMessages, 1);
    assert.equal(x.topicCount, 1);
    assert.equal(x.topic, 'x');
    assert.equal(node(tree, 'x/y').topic, 'x/y');
    assert.equal(tree.size, 1);
  });

  test('unicode levels and $ topics', () => {
    const tree = new TopicTree();
    tree.add(msg('häuser/küche/🌡️'));
    tree.add(msg('$SYS/broker/uptime'));
    tree.add(msg('$SYS/broker/clients/connected'));
    const thermo = node(tree, 'häuser/küche/🌡️');
    assert.equal(thermo.level, '🌡️');
    assert.equal(thermo.parent?.level, 'küche');
    const sys = node(tree, '$SYS');
    assert.equal(isSystemTopic(sys), true);
    assert.equal(isSystemTopic(node(tree, '$SYS/broker/uptime')), true);
    assert.equal(isSystemTopic(node(tree, 'häuser')), false);
    assert.equal(isSystemTopic(tree.root), false);
    assert.equal(sys.topicCount, 2);
    assert.deepEqual(levels(tree.roots()), ['$SYS', 'häuser']);
  });

  test('counts after many adds', () => {
    const tree = new TopicTree();
    for (let i = 0; i < 1000; i++) tree.add(msg(`s/${i % 10}/${i % 7}`));
    // Topics: pairs (i % 10, i % 7) for i < 1000: all 70 combinations occur (lcm 70 < 1000).
    assert.equal(tree.size, 70);
    assert.equal(tree.root.totalMessages, 1000);
    assert.equal(tree.root.messageCount, 0);
    const s = node(tree, 's');
    assert.equal(s.totalMessages, 1000);
    assert.equal(s.topicCount, 70);
    assert.equal(node(tree, 's/3').totalMessages, 100);
    assert.equal(node(tree, 's/3').topicCount, 7);
    // i = 3, 73, 143, ...: i % 10 = 3 and i % 7 = 3 -> i = 3 (mod 70): 3, 73, ..., 983 -> 15 messages.
    assert.equal(node(tree, 's/3/3').messageCount, 15);
    assert.equal(node(tree, 's/3/3').lastMessage?.topic, 's/3/3');
  });

  test('a topic that is also a parent counts both ways', () => {
    const tree = new TopicTree();
    tree.add(msg('a'));
    tree.add(msg('a/b'));
    tree.add(msg('a/b'));
    const a = node(tree, 'a');
    assert.equal(a.messageCount, 1);
    assert.equal(a.totalMessages, 3);
    assert.equal(a.topicCount, 2);
    assert.equal(tree.root.topicCount, 2);
  });

  test('keeps the message and payload by reference and shares one topic string per topic', () => {
    const tree = new TopicTree();
    const m1 = msg('p/q', 'one');
    const m2 = msg('p/q', 'two');
    tree.add(m1);
    const leaf = tree.add(m2);
    assert.equal(leaf.lastMessage, m2);
    assert.equal(leaf.lastMessage?.payload, m2.payload);
    assert.equal(new TextDecoder().decode(leaf.lastMessage?.payload), 'two');
    assert.equal(m2.topic, 'p/q');
    assert.equal(leaf.changedAt, m2.receivedAt);
    assert.equal(node(tree, 'p').changedAt, m2.receivedAt);
    assert.equal(tree.root.changedAt, m2.receivedAt);
  });

  test('clear forgets everything and keeps the root', () => {
    const tree = new TopicTree();
    const root = tree.root;
    tree.add(msg('a/b', 'x', { retain: true }));
    tree.takeDirty();
    tree.clear();
    assert.equal(tree.size, 0);
    assert.equal(tree.root, root);
    assert.equal(root.totalMessages, 0);
    assert.equal(root.retainedCount, 0);
    assert.equal(root.children.size, 0);
    assert.equal(tree.find('a/b'), undefined);
    assert.deepEqual(topics(tree.takeDirty()), ['<root>']);
    tree.add(msg('a/b'));
    assert.equal(tree.size, 1);
    assert.equal(node(tree, 'a').totalMessages, 1);
  });
});

describe('TopicTree retained flag', () => {
  test('set by a retained message, cleared by an empty retained payload, kept by live messages', () => {
    const tree = new TopicTree();
    const t = tree.add(msg('dev/1/state', 'on', { retain: true }));
    assert.equal(t.retained, true);
    assert.equal(t.retainCleared, false);
    assert.equal(tree.root.retainedCount, 1);
    tree.add(msg('dev/1/state', 'off')); // live, not retained
    assert.equal(t.retained, true);
    assert.equal(tree.root.retainedCount, 1);
    tree.add(msg('dev/1/state', '')); // live and empty: still not a retained deletion
    assert.equal(t.retained, true);
    tree.add(msg('dev/1/state', '', { retain: true }));
    assert.equal(t.retained, false);
    assert.equal(t.retainCleared, true);
    assert.equal(tree.root.retainedCount, 0);
    assert.equal(node(tree, 'dev').retainedCount, 0);
    assert.equal(t.messageCount, 4);
    tree.add(msg('dev/1/state', 'on', { retain: true }));
    assert.equal(t.retained, true);
    assert.equal(t.retainCleared, false);
    assert.equal(tree.root.retainedCount, 1);
  });

  test('an empty retained message on a new topic records the deletion and counts nothing', () => {
    const tree = new TopicTree();
    const t = tree.add(msg('gone', '', { retain: true }));
    assert.equal(t.retained, false);
    assert.equal(t.retainCleared, true);
    assert.equal(tree.root.retainedCount, 0);
    assert.equal(tree.size, 1);
  });

  test('repeated retained messages count once; retainedTopicsUnder lists the subtree', () => {
    const tree = new TopicTree();
    for (let i = 0; i < 3; i++) {
      tree.add(msg('home/a', 'x', { retain: true }));
      tree.add(msg('home/b/c', 'x', { retain: true }));
      tree.add(msg('home/b/d', 'x'));
      tree.add(msg('office/e', 'x', { retain: true }));
    }
    assert.equal(tree.root.retainedCount, 3);
    assert.equal(node(tree, 'home').retainedCount, 2);
    assert.deepEqual(tree.retainedTopicsUnder(node(tree, 'home')), ['home/a', 'home/b/c']);
    assert.deepEqual(tree.retainedTopicsUnder(tree.root), ['home/a', 'home/b/c', 'office/e']);
    assert.deepEqual(tree.retainedTopicsUnder(node(tree, 'home/b/d')), []);
    assert.deepEqual(tree.retainedTopicsUnder(node(tree, 'home/a')), ['home/a']);
  });

  test('markRetainCleared clears the flag without a message', () => {
    const tree = new TopicTree();
    const t = tree.add(msg('r/1', 'x', { retain: true }));
    tree.takeDirty();
    assert.equal(tree.markRetainCleared(t), true);
    assert.equal(t.retained, false);
    assert.equal(t.retainCleared, true);
    assert.equal(tree.root.retainedCount, 0);
    assert.equal(t.messageCount, 1);
    assert.deepEqual(topics(tree.takeDirty()), ['<root>', 'r', 'r/1']);
    assert.equal(tree.markRetainCleared(t), false);
    assert.equal(tree.root.retainedCount, 0);
  });
});

describe('TopicTree dirty set', () => {
  test('contains the changed leaf and all its ancestors, and takeDirty clears it', () => {
    const tree = new TopicTree();
    tree.add(msg('a/b/c'));
    assert.equal(tree.hasDirty, true);
    assert.deepEqual(topics(tree.takeDirty()), ['<root>', 'a', 'a/b', 'a/b/c']);
    assert.equal(tree.hasDirty, false);
    assert.equal(tree.takeDirty().size, 0);
  });

  test('coalesces: many messages mark each node once', () => {
    const tree = new TopicTree();
    tree.add(msg('a/b/c'));
    tree.takeDirty();
    for (let i = 0; i < 100; i++) tree.add(msg('a/b/c'));
    tree.add(msg('a/x'));
    const dirty = tree.takeDirty();
    assert.deepEqual(topics(dirty), ['<root>', 'a', 'a/b', 'a/b/c', 'a/x']);
    assert.equal(dirty.size, 5);
  });

  test('a new child marks its parent; untouched siblings stay clean', () => {
    const tree = new TopicTree();
    tree.add(msg('a/b'));
    tree.add(msg('a/c'));
    tree.add(msg('z'));
    tree.takeDirty();
    tree.add(msg('a/d'));
    const dirty = tree.takeDirty();
    assert.deepEqual(topics(dirty), ['<root>', 'a', 'a/d']);
    assert.ok(dirty.has(node(tree, 'a')));
    assert.ok(!dirty.has(node(tree, 'a/b')));
    assert.ok(!dirty.has(node(tree, 'z')));
  });

  test('nodes taken are marked again by later messages', () => {
    const tree = new TopicTree();
    tree.add(msg('a/b'));
    tree.takeDirty();
    tree.add(msg('a/b'));
    assert.deepEqual(topics(tree.takeDirty()), ['<root>', 'a', 'a/b']);
  });
});

describe('TopicTree sorting', () => {
  const tree = new TopicTree();
  tree.add(msg('s/b10', 'x', { at: 1000 }));
  tree.add(msg('s/b2', 'x', { at: 3000 }));
  for (let i = 0; i < 3; i++) tree.add(msg('s/a/x', 'x', { at: 2000 }));
  tree.add(msg('s/B1', 'x', { at: 1500 }));
  tree.add(msg('s/', 'x', { at: 500 }));
  const s = node(tree, 's');

  test('by name: natural order, empty level first', () => {
    assert.deepEqual(levels(tree.children(s, 'name')), ['', 'a', 'B1', 'b2', 'b10']);
    assert.deepEqual(levels(tree.children(s)), ['', 'a', 'B1', 'b2', 'b10']);
  });
  test('by messages, most first, then by name', () => {
    assert.deepEqual(levels(tree.children(s, 'messages')), ['a', '', 'B1', 'b2', 'b10']);
  });
  test('most recent first', () => {
    assert.deepEqual(levels(tree.children(s, 'recent')), ['b2', 'a', 'B1', 'b10', '']);
  });
  test('children of a leaf are empty', () => {
    assert.deepEqual(tree.children(node(tree, 's/b2')), []);
  });
});

describe('TopicTree filtering', () => {
  const tree = new TopicTree();
  for (const t of ['home/kitchen/temp', 'home/kitchen/humidity', 'home/garage/door', 'home', 'office/Temp', 'a//b', '$SYS/broker/load']) tree.add(msg(t));
  const shown = (text: string): string[] => {
    const m = tree.matching(text);
    const out: string[] = [];
    const visit = (n: TopicNode): void => {
      for (const c of tree.children(n)) {
        if (m.matches(c)) {
          out.push(c.topic);
          visit(c);
        }
      }
    };
    if (m.matches(tree.root)) visit(tree.root);
    return out.sort();
  };

  test('empty text shows everything', () => {
    assert.equal(shown('').length, 14);
    assert.equal(tree.matching('').kind, 'all');
  });
  test('case-insensitive substring of the full topic', () => {
    const m = tree.matching('TEMP');
    assert.equal(m.kind, 'text');
    assert.deepEqual(shown('TEMP'), ['home', 'home/kitchen', 'home/kitchen/temp', 'office', 'office/Temp']);
    assert.deepEqual(shown('kitchen/h'), ['home', 'home/kitchen', 'home/kitchen/humidity']);
    assert.deepEqual(shown('(.*)'), []);
    assert.equal(m.topicMatches(node(tree, 'office/Temp')), true);
    assert.equal(m.topicMatches(node(tree, 'office')), false);
  });
  test('a substring matching a parent shows its whole subtree', () => {
    assert.deepEqual(shown('garage'), ['home', 'home/garage', 'home/garage/door']);
  });
  test('MQTT filter with +', () => {
    assert.equal(tree.matching('home/+/temp').kind, 'mqtt');
    assert.deepEqual(shown('home/+/temp'), ['home', 'home/kitchen', 'home/kitchen/temp']);
    assert.deepEqual(shown('+/+'), ['office', 'office/Temp']);
    assert.deepEqual(shown('a/+/b'), ['a', 'a/', 'a//b']);
  });
  test('MQTT filter with # includes the parent topic', () => {
    assert.deepEqual(shown('home/#'), ['home', 'home/garage', 'home/garage/door', 'home/kitchen', 'home/kitchen/humidity', 'home/kitchen/temp']);
    const m = tree.matching('home/#');
    assert.equal(m.topicMatches(node(tree, 'home')), true);
    assert.equal(m.topicMatches(node(tree, 'office/Temp')), false);
  });
  test('wildcard-first filters skip $ topics; $SYS filters find them', () => {
    assert.ok(!shown('#').includes('$SYS'));
    assert.equal(shown('#').length, 11);
    assert.deepEqual(shown('$SYS/#'), ['$SYS', '$SYS/broker', '$SYS/broker/load']);
    assert.deepEqual(shown('+/broker/+'), []);
  });
  test('an invalid filter matches nothing and says why', () => {
    const m = tree.matching('home/#/x');
    assert.equal(m.error, "'#' must be the last level of a filter, e.g. a/b/#.");
    assert.equal(m.matches(tree.root), false);
    assert.deepEqual(shown('home/#/x'), []);
  });
  test('matches on a deep node checks its ancestors', () => {
    const m = tree.matching('home/kitchen/+');
    assert.equal(m.matches(node(tree, 'home/kitchen/temp')), true);
    assert.equal(m.matches(node(tree, 'home/garage/door')), false);
    assert.equal(m.matches(node(tree, 'home/garage')), false);
    assert.equal(m.matches(node(tree, 'home')), true);
    assert.equal(tree.matching('home/#').matches(node(tree, 'home/garage/door')), true);
  });
  test('a kept matcher sees topics added later', () => {
    const t2 = new TopicTree();
    t2.add(msg('x/1'));
    const m = t2.matching('x/+/deep');
    assert.equal(m.matches(t2.root), false);
    assert.equal(m.matches(node(t2, 'x')), false);
    t2.add(msg('x/1/deep'));
    assert.equal(m.matches(node(t2, 'x')), true);
    assert.equal(m.matches(t2.root), true);
    const text = t2.matching('NEW');
    assert.equal(text.matches(t2.root), false);
    t2.add(msg('x/new'));
    assert.equal(text.matches(t2.root), true);
  });
});

test('two matchers on one tree keep their own answers', () => {
  const tree = new TopicTree();
  for (const t of ['a/x', 'b/y']) tree.add(msg(t));
  const ma = tree.matching('a/#');
  const mb = tree.matching('b/+');
  for (let round = 0; round < 2; round++) {
    assert.equal(ma.matches(node(tree, 'a')), true);
    assert.equal(mb.matches(node(tree, 'a')), false);
    assert.equal(ma.matches(node(tree, 'b/y')), false);
    assert.equal(mb.matches(node(tree, 'b/y')), true);
  }
});

describe('TopicTree at scale', () => {
  test('100,000 distinct topics', () => {
    const tree = new TopicTree();
    for (let i = 0; i < 100_000; i++) {
      tree.add(msg(`site/${i % 10}/${Math.floor(i / 10) % 100}/${Math.floor(i / 1000)}`, 'v', { retain: i % 4 === 0 }));
    }
    assert.equal(tree.size, 100_000);
    assert.equal(tree.root.topicCount, 100_000);
    assert.equal(tree.root.totalMessages, 100_000);
    assert.equal(tree.root.retainedCount, 25_000);
    const site = node(tree, 'site');
    assert.equal(site.children.size, 10);
    assert.equal(node(tree, 'site/7').topicCount, 10_000);
    assert.equal(node(tree, 'site/7/42').children.size, 100);
    assert.equal(tree.takeDirty().size, 1 + 1 + 10 + 1000 + 100_000);
    for (let i = 0; i < 100_000; i++) tree.add(msg(`site/${i % 10}/${Math.floor(i / 10) % 100}/${Math.floor(i / 1000)}`));
    assert.equal(tree.size, 100_000);
    assert.equal(tree.root.totalMessages, 200_000);
    assert.equal(node(tree, 'site/3/5/99').messageCount, 2);
    assert.equal(tree.retainedTopicsUnder(node(tree, 'site/0')).length, 5_000);
  });
});
