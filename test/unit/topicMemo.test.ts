// TopicMemo: the rules and watches of a known topic read from the memo on its tree node. An engine fed with memos
// must decide exactly as one fed without, across rule changes, topics that start holding state and forgotten
// connections; watches fed with memos follow a change of the watches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertEngine } from '../../src/core/monitor/alertEngine';
import type { AlertEvent } from '../../src/core/monitor/alertRecord';
import { ManualClock } from '../../src/core/monitor/clock';
import { parseAlertRules } from '../../src/core/monitor/ruleParse';
import { TopicMemo } from '../../src/core/monitor/topicMemo';
import { parseWatches, WatchBook } from '../../src/core/monitor/watches';
import { memoOf, TopicTree } from '../../src/core/topicTree';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const rulesOf = (rules: unknown[]) => {
  const parsed = parseAlertRules(rules, { savedMessages: new Set() });
  assert.deepEqual(parsed.problems, []);
  return parsed.rules;
};
const FIRST_RULES = rulesOf([
  { name: 'hot', topic: 'site/+/temp', when: { above: 80, hysteresis: 5 } },
  { name: 'hot for 2 s', topic: 'site/#', when: { above: 90, forSeconds: 2 } },
  { name: 'status', topic: 'site/3/status', when: { equals: 'offline' } },
  { name: 'changed', topic: 'site/+/mode', when: { changes: true } },
  { name: 'quiet', topic: 'site/2/#', when: { silentForSeconds: 5 } },
]);
const SECOND_RULES = rulesOf([
  { name: 'cold', topic: 'site/+/temp', when: { below: 10 } },
  { name: 'status', topic: 'site/3/status', when: { equals: 'offline' } },
  { name: 'any mode', topic: 'site/1/mode', when: { matches: '^m[0-9]$' } },
  { name: 'quiet 1', topic: 'site/1/#', when: { silentForSeconds: 2 } },
]);
const TOPICS = ['site/1/temp', 'site/2/temp', 'site/3/temp', 'site/3/status', 'site/1/mode', 'site/2/mode', 'site/2/x/y', 'other/temp'];
const PAYLOADS: Record<string, string[]> = { temp: ['5', '50', '79', '82', '95', '76', '74', '8'], status: ['online', 'offline'], mode: ['m1', 'm2', 'auto'], y: ['1'] };

/** A small deterministic generator (the same sequence on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

function engine(clock: ManualClock): { engine: AlertEngine; events: string[] } {
  const engine = new AlertEngine(clock);
  const events: string[] = [];
  engine.onEvent((e: AlertEvent) => events.push(`${e.kind} ${e.kind === 'fired' ? e.alert.reason : (e.alert.clearReason ?? '')}`));
  engine.setRules(FIRST_RULES);
  engine.connectionState('Lab', true);
  return { engine, events };
}

test('an engine fed with topic memos fires and clears exactly as one fed without, across rule changes and a forgotten connection', () => {
  const clock = new ManualClock(1_000_000);
  const plain = engine(clock);
  const memoized = engine(clock);
  const tree = new TopicTree();
  const next = random(7);
  let reopened = 0;
  for (let step = 0; step < 3000; step++) {
    clock.advance(Math.floor(next() * 700));
    if (step === 1000) for (const e of [plain, memoized]) e.engine.setRules(SECOND_RULES);
    if (step === 2000) {
      for (const e of [plain, memoized]) {
        e.engine.connectionState('Lab', undefined); // closed by the user: its topics' entries are forgotten
        e.engine.connectionState('Lab', true);
      }
      reopened = plain.events.length;
    }
    const topic = TOPICS[Math.floor(next() * TOPICS.length)] ?? '';
    const choices = PAYLOADS[topic.slice(topic.lastIndexOf('/') + 1)] ?? ['1'];
    const payload = new TextEncoder().encode(choices[Math.floor(next() * choices.length)]);
    const message: MqttMessage = { topic, payload, qos: 0, retain: false, dup: false, receivedAt: clock.now(), seq: step, direction: 'in' };
    const node = tree.add(message);
    plain.engine.message('Lab', message);
    memoized.engine.message('Lab', message, memoOf(node));
    if (step % 7 === 0) for (const e of [plain, memoized]) e.engine.tick();
  }
  assert.ok(plain.events.length > 50, `the sequence fires and clears alerts (${plain.events.length} events)`);
  assert.ok(plain.events.some((e) => e.startsWith('fired hot for 2 s')), 'a "for N seconds" rule fired: a topic held state of its own');
  assert.ok(plain.events.some((e) => e.startsWith('fired any mode')), 'the second rules fired');
  assert.ok(plain.events.slice(reopened).some((e) => e.startsWith('fired quiet 1')), 'silence fired and cleared after the connection was opened again');
  assert.deepEqual(memoized.events, plain.events);
});

test('a memo found under other rules or other watches is not used', () => {
  const clock = new ManualClock(1_000_000);
  const { engine: alerts, events } = engine(clock);
  const watches = new WatchBook();
  watches.setWatches(parseWatches([{ topic: 'site/1/temp' }]).watches);
  const memo = new TopicMemo();
  const send = (payload: string): void => {
    const message: MqttMessage = { topic: 'site/1/temp', payload: new TextEncoder().encode(payload), qos: 0, retain: false, dup: false, receivedAt: clock.now(), seq: 0, direction: 'in' };
    alerts.message('Lab', message, memo);
    watches.message('Lab', message, memo);
  };
  send('50');
  assert.equal(watches.list()[0]?.text, '50');
  alerts.setRules(SECOND_RULES);
  watches.setWatches(parseWatches([{ topic: 'site/2/temp' }, { topic: 'site/+/temp' }]).watches);
  send('5');
  assert.deepEqual(events, ['fired cold: site/1/temp is 5 (below 10)']);
  assert.deepEqual(watches.list().map((w) => w.text), [undefined, '5']);
});

test('memoOf: one memo per topic node, kept for the node', () => {
  const tree = new TopicTree();
  const message = (topic: string): MqttMessage => ({ topic, payload: new Uint8Array(), qos: 0, retain: false, dup: false, receivedAt: 0, seq: 0, direction: 'in' });
  const a = tree.add(message('a/b'));
  assert.equal(memoOf(a), memoOf(tree.add(message('a/b'))));
  assert.notEqual(memoOf(a), memoOf(tree.add(message('a/c'))));
});
