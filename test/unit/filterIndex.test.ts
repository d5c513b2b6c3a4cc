import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FilterIndex, literalPrefix, type Filtered } from '../../src/core/monitor/filterIndex';
import { topicMatchesFilter } from '../../src/core/topics';

interface Item extends Filtered {
  readonly id: number;
}

/** What the index must answer: every item in the order given, exact or wildcard, tested one by one. */
function bruteForce(items: readonly Item[], connection: string, topic: string): number[] {
  const fits = (item: Item): boolean => item.topic !== undefined && (item.connection === undefined || item.connection === connection);
  const exact = items.filter((item) => fits(item) && !/[+#]/.test(item.topic ?? '') && !(item.topic ?? '').startsWith('$share/') && item.topic === topic);
  const wild = items.filter((item) => fits(item) && (/[+#]/.test(item.topic ?? '') || (item.topic ?? '').startsWith('$share/')) && topicMatchesFilter(item.topic ?? '', topic));
  return [...exact, ...wild].map((item) => item.id);
}

describe('FilterIndex', () => {
  test('the literal prefix of a filter stops at its first level holding a wildcard', () => {
    assert.deepEqual(literalPrefix('plant/line1/+/temp'), ['plant', 'line1']);
    assert.deepEqual(literalPrefix('plant/#'), ['plant']);
    assert.deepEqual(literalPrefix('+/status'), []);
    assert.deepEqual(literalPrefix('#'), []);
    assert.deepEqual(literalPrefix('$share/g/site/+/x'), ['site']);
    assert.deepEqual(literalPrefix('a/b#/c'), ['a'], 'a level with # inside is compared by the full test, not the trie');
    assert.deepEqual(literalPrefix('$SYS/broker/#'), ['$SYS', 'broker']);
  });

  test('answers exactly what testing every filter answers, in the order the items were given', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const levels = ['a', 'b', 'c', '', '$SYS'];
    const filterLevels = [...levels, '+', '+', 'x+', '#'];
    const pick = (from: readonly string[]): string => from[random(from.length)] ?? '';
    const filter = (): string => {
      const parts = Array.from({ length: 1 + random(4) }, () => pick(filterLevels));
      const hash = parts.indexOf('#');
      const text = (hash < 0 ? parts : parts.slice(0, hash + 1)).join('/');
      return random(8) === 0 ? `$share/g/${text}` : text;
    };
    const items: Item[] = Array.from({ length: 200 }, (_, id) => ({ id, topic: random(20) === 0 ? undefined : filter(), connection: random(3) === 0 ? 'other' : random(2) === 0 ? 'lab' : undefined }));
    const exactOnly = items.filter((item) => !/[+#]/.test(item.topic ?? '') && !(item.topic ?? '').startsWith('$share/'));
    const indexes: Array<[FilterIndex<Item>, Item[]]> = [
      [new FilterIndex(items, 0), items],
      [new FilterIndex(items), items],
      [new FilterIndex(exactOnly), exactOnly],
    ];
    for (let i = 0; i < 3000; i++) {
      const topic = Array.from({ length: 1 + random(5) }, () => pick(levels)).join('/');
      const connection = random(2) === 0 ? 'lab' : 'other';
      for (const [index, given] of indexes) assert.deepEqual(index.match(connection, topic).map((item) => item.id), bruteForce(given, connection, topic), `${connection} ${JSON.stringify(topic)}`);
    }
  });

  test('a topic one level above a filter ending in # matches it; + wants a level; $ topics skip leading wildcards', () => {
    const items: Item[] = [
      { id: 0, topic: 'plant/#', connection: undefined },
      { id: 1, topic: 'plant/+', connection: undefined },
      { id: 2, topic: '#', connection: undefined },
      { id: 3, topic: 'plant', connection: undefined },
      { id: 4, topic: '$share/team/plant/+', connection: 'lab' },
    ];
    const index = new FilterIndex(items);
    const ids = (topic: string, connection = 'lab'): number[] => index.match(connection, topic).map((item) => item.id);
    assert.deepEqual(ids('plant'), [3, 0, 2]);
    assert.deepEqual(ids('plant/line1'), [0, 1, 2, 4]);
    assert.deepEqual(ids('plant/line1', 'other'), [0, 1, 2]);
    assert.deepEqual(ids('$SYS/plant'), []);
    assert.deepEqual(ids('plant/line1'), [0, 1, 2, 4], 'the cached answer is the same');
  });

  test('topics with the same answer share one list; filters that need the full test and exact ones still answer per topic', () => {
    const items: Item[] = [
      { id: 0, topic: 'fleet/#', connection: undefined },
      { id: 1, topic: 'fleet/site2/+/+/temp', connection: undefined },
      { id: 2, topic: 'fleet/site1/+', connection: undefined },
      { id: 3, topic: 'fleet/site1/dev7', connection: undefined },
    ];
    const index = new FilterIndex(items);
    const ids = (topic: string): number[] => index.match('lab', topic).map((item) => item.id);
    assert.equal(index.match('lab', 'fleet/site1/dev1'), index.match('lab', 'fleet/site1/dev2'), 'one list for both');
    assert.deepEqual(ids('fleet/site1/dev1'), [0, 2]);
    assert.deepEqual(ids('fleet/site1/dev7'), [3, 0, 2]);
    assert.deepEqual(ids('fleet/site2/dev1/a/temp'), [0, 1]);
    assert.deepEqual(ids('fleet/site2/dev1/a/rssi'), [0]);
    assert.deepEqual(ids('fleet/site1'), [0]);
    assert.deepEqual(ids('fleet'), [0]);
  });
});
