import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_TOPIC_BYTES,
  TopicMessages,
  TopicQuery,
  compareLevels,
  hasWildcards,
  isSystemTopicName,
  joinTopicLevels,
  parseSharedSubscription,
  splitTopicLevels,
  topicMatchesFilter,
  utf8ByteLength,
  validateTopicFilter,
  validateTopicName,
} from '../../src/core/topics';

describe('validateTopicName', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['plain', 'sensors/kitchen/temp', undefined],
    ['single level', 'a', undefined],
    ['empty levels', 'a//b', undefined],
    ['leading slash', '/a', undefined],
    ['trailing slash', 'a/', undefined],
    ['only a slash', '/', undefined],
    ['$SYS', '$SYS/broker/uptime', undefined],
    ['unicode and emoji', 'häuser/küche/🌡️', undefined],
    ['spaces', 'my topic/with spaces', undefined],
    ['empty', '', 'Topic must not be empty.'],
    ['plus', 'a/+/c', 'Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.'],
    ['hash', 'a/#', 'Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.'],
    ['plus inside a level', 'a+b', 'Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.'],
    ['NUL', 'a\u0000b', 'Topic must not contain the NUL character (U+0000).'],
    ['NUL wins over a wildcard', '#\u0000', 'Topic must not contain the NUL character (U+0000).'],
    ['lone high surrogate', 'a/\uD83D', 'Topic contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8.'],
    ['lone low surrogate', '\uDE00/a', 'Topic contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8.'],
    ['reversed pair', '\uDE00\uD83D', 'Topic contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8.'],
  ];
  for (const [name, topic, expected] of cases) {
    test(name, () => assert.equal(validateTopicName(topic), expected));
  }

  test('65,535 bytes is the limit, counted in UTF-8 bytes not characters', () => {
    assert.equal(validateTopicName('a'.repeat(MAX_TOPIC_BYTES)), undefined);
    assert.equal(validateTopicName('a'.repeat(65_536)), 'Topic is 65,536 bytes long; MQTT allows at most 65,535 bytes of UTF-8.');
    // 'é' is 2 bytes: 32,768 of them are 65,536 bytes although only 32,768 characters.
    assert.equal(validateTopicName('é'.repeat(32_768)), 'Topic is 65,536 bytes long; MQTT allows at most 65,535 bytes of UTF-8.');
    // '€' is 3 bytes, an emoji (a surrogate pair) is 4.
    assert.equal(validateTopicName('€'.repeat(21_845)), undefined);
    assert.equal(validateTopicName('😀'.repeat(20_000)), 'Topic is 80,000 bytes long; MQTT allows at most 65,535 bytes of UTF-8.');
    assert.equal(TopicMessages.topicTooLong(100_000), 'Topic is 100,000 bytes long; MQTT allows at most 65,535 bytes of UTF-8.');
  });
});

describe('validateTopicFilter', () => {
  const hashLast = "'#' must be the last level of a filter, e.g. a/b/#.";
  const hashWhole = "'#' must occupy a whole level, e.g. a/#.";
  const plusWhole = "'+' must occupy a whole level, e.g. a/+/c.";
  const cases: Array<[string, string | undefined]> = [
    ['a/b/c', undefined],
    ['#', undefined],
    ['+', undefined],
    ['a/#', undefined],
    ['+/+/#', undefined],
    ['a/+/c', undefined],
    ['a//#', undefined],
    ['/+', undefined],
    ['+/', undefined],
    ['$SYS/#', undefined],
    ['häuser/+/🌡️', undefined],
    ['', 'Filter must not be empty.'],
    ['a/\u0000', 'Filter must not contain the NUL character (U+0000).'],
    ['a/\uD800/#', 'Filter contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8.'],
    ['a/#/b', hashLast],
    ['#/a', hashLast],
    ['a/#/', hashLast],
    ['a#', hashWhole],
    ['#a', hashWhole],
    ['a/b#', hashWhole],
    ['a/##', hashWhole],
    ['a+', plusWhole],
    ['+a/b', plusWhole],
    ['a/+b/c', plusWhole],
    ['a/++', plusWhole],
    ['$share/group/a/+/c', undefined],
    ['$share/group/#', undefined],
    ['$share/g/a', undefined],
    ['$sharex/a/#', undefined],
    ['$share', 'A shared subscription needs a group and a filter, e.g. $share/group/a/b.'],
    ['$share/', 'The share group must not be empty, e.g. $share/group/a/b.'],
    ['$share//a', 'The share group must not be empty, e.g. $share/group/a/b.'],
    ['$share/g+/a', 'The share group must not contain wildcards (+ or #).'],
    ['$share/#/a', 'The share group must not contain wildcards (+ or #).'],
    ['$share/group', 'A shared subscription needs a filter after the group, e.g. $share/group/a/b.'],
    ['$share/group/', 'A shared subscription needs a filter after the group, e.g. $share/group/a/b.'],
    ['$share/group/a/#/b', hashLast],
    ['$share/group/a+', plusWhole],
  ];
  for (const [filter, expected] of cases) {
    test(`${JSON.stringify(filter)} -> ${expected ?? 'valid'}`, () => assert.equal(validateTopicFilter(filter), expected));
  }

  test('length limit in UTF-8 bytes', () => {
    assert.equal(validateTopicFilter('a/'.repeat(32_767) + '#'), undefined);
    assert.equal(validateTopicFilter('ü'.repeat(40_000)), 'Filter is 80,000 bytes long; MQTT allows at most 65,535 bytes of UTF-8.');
  });
});

describe('topicMatchesFilter', () => {
  const table: Array<[filter: string, topic: string, expected: boolean]> = [
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['a/b', 'A/b', false],
    ['+', 'a', true],
    ['+', 'a/b', false],
    ['+', '/a', false],
    ['+/+', '/a', true],
    ['+/a', '/a', true],
    ['a/+', 'a/', true], // + matches an empty level
    ['a/+/b', 'a//b', true],
    ['a/+', 'a', false],
    ['a/+/+', 'a/b', false],
    ['#', 'a', true],
    ['#', 'a/b/c', true],
    ['#', '/', true],
    ['a/#', 'a', true], // # matches the parent level
    ['a/#', 'a/', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['a/#', 'b/a', false],
    ['a/b/#', 'a', false],
    ['+/#', 'a', true],
    ['+/b/#', 'a/b', true],
    ['/#', '/a', true],
    ['/#', 'a', false],
    ['a//b', 'a//b', true],
    ['a//b', 'a/b', false],
    ['a/', 'a', false],
    ['a', 'a/', false],
    ['/a', 'a', false],
    // $ topics are not matched by a filter starting with a wildcard.
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['+', '$SYS', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
    ['$SYS/#', '$SYS', true],
    ['a/#', 'a/$b', true],
    ['a/+', 'a/$b', true],
    // Unicode compares exactly, no normalisation.
    ['häuser/+/temp', 'häuser/küche/temp', true],
    ['häuser/#', 'ha\u0308user/x', false],
    ['🌡️/+', '🌡️/x', true],
    ['+/😀', 'x/😀', true],
    // Shared subscriptions match what their filter matches.
    ['$share/g/a/+', 'a/b', true],
    ['$share/g/#', 'x/y', true],
    ['$share/g/#', '$SYS/x', false],
    ['$share/g/a', '$share/g/a', false],
  ];
  for (const [filter, topic, expected] of table) {
    test(`${JSON.stringify(filter)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(topic)}`, () => {
      assert.equal(topicMatchesFilter(filter, topic), expected);
    });
  }
});

describe('levels and helpers', () => {
  test('splitTopicLevels keeps empty levels', () => {
    assert.deepEqual(splitTopicLevels('a//b'), ['a', '', 'b']);
    assert.deepEqual(splitTopicLevels('/a'), ['', 'a']);
    assert.deepEqual(splitTopicLevels('a/'), ['a', '']);
    assert.deepEqual(splitTopicLevels('/'), ['', '']);
    assert.deepEqual(splitTopicLevels(''), ['']);
    assert.deepEqual(splitTopicLevels('häuser/🌡️'), ['häuser', '🌡️']);
  });

  test('joinTopicLevels is the inverse of splitTopicLevels', () => {
    for (const topic of ['a//b', '/a', 'a/', '/', '', 'x/y/z', '$SYS/a']) {
      assert.equal(joinTopicLevels(splitTopicLevels(topic)), topic);
    }
    assert.equal(joinTopicLevels(['', '', '']), '//');
  });

  test('utf8ByteLength counts bytes, lone surrogates as 3', () => {
    assert.equal(utf8ByteLength(''), 0);
    assert.equal(utf8ByteLength('abc'), 3);
    assert.equal(utf8ByteLength('é'), 2);
    assert.equal(utf8ByteLength('€'), 3);
    assert.equal(utf8ByteLength('😀'), 4);
    assert.equal(utf8ByteLength('\uD800'), 3);
  });

  test('hasWildcards, isSystemTopicName, parseSharedSubscription', () => {
    assert.equal(hasWildcards('a/+'), true);
    assert.equal(hasWildcards('a#'), true);
    assert.equal(hasWildcards('a/b'), false);
    assert.equal(isSystemTopicName('$SYS/x'), true);
    assert.equal(isSystemTopicName('a/$SYS'), false);
    assert.equal(isSystemTopicName(''), false);
    assert.deepEqual(parseSharedSubscription('$share/g/a/#'), { group: 'g', filter: 'a/#' });
    assert.equal(parseSharedSubscription('$share/g'), undefined);
    assert.equal(parseSharedSubscription('a/$share/g/x'), undefined);
  });
});

describe('TopicQuery and compareLevels', () => {
  test('empty text matches every topic', () => {
    const q = new TopicQuery('');
    assert.equal(q.kind, 'all');
    assert.equal(q.test('$SYS/x'), true);
  });
  test('text without wildcards is a case-insensitive substring, regex characters taken literally', () => {
    const q = new TopicQuery('Kitchen/T');
    assert.equal(q.kind, 'text');
    assert.equal(q.error, undefined);
    assert.equal(q.test('home/kitchen/temp'), true);
    assert.equal(q.test('home/kitchen'), false);
    assert.equal(new TopicQuery('a.b').test('axb'), false);
    assert.equal(new TopicQuery('a.b').test('x/a.b'), true);
    assert.equal(new TopicQuery('KÜCHE').test('haus/küche'), true);
  });
  test('text with + or # is an MQTT filter, validated', () => {
    const q = new TopicQuery('home/+/temp');
    assert.equal(q.kind, 'mqtt');
    assert.equal(q.test('home/kitchen/temp'), true);
    assert.equal(q.test('home/kitchen/TEMP'), false);
    const bad = new TopicQuery('a+');
    assert.equal(bad.error, "'+' must occupy a whole level, e.g. a/+/c.");
    assert.equal(bad.test('a+'), false);
  });
  test('compareLevels: natural order, empty first, deterministic for case variants', () => {
    const sorted = ['sensor10', 'sensor2', '', 'Sensor1', 'sensor1', 'a'].sort(compareLevels);
    assert.deepEqual(sorted, ['', 'a', 'sensor1', 'Sensor1', 'sensor2', 'sensor10']);
    assert.equal(compareLevels('x', 'x'), 0);
  });
});
