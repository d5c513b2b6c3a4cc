import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MessageHistory } from '../../src/core/history';
import { numberAt, parseValuePath, suggestValuePath, topicSeries } from '../../src/core/history/series';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const bytes = (text: string) => new TextEncoder().encode(text);
const steps = (path: string) => {
  const parsed = parseValuePath(path);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.steps;
};

function message(topic: string, payload: string, receivedAt: number): MqttMessage {
  return { topic, payload: bytes(payload), qos: 0, retain: false, dup: false, direction: 'in', receivedAt, seq: receivedAt };
}

describe('chart series', () => {
  test('paths: keys, indexes, quoted keys and an optional $ prefix', () => {
    assert.deepEqual(parseValuePath(''), { ok: true, steps: [] });
    assert.deepEqual(parseValuePath('$.data.values[2].temp'), { ok: true, steps: ['data', 'values', 2, 'temp'] });
    assert.deepEqual(parseValuePath('["room 1"].t'), { ok: true, steps: ['room 1', 't'] });
    assert.deepEqual(parseValuePath('a..b'), { ok: false, error: 'Not a valid path at character 2: use keys and indexes like data.values[0].temp.' });
    assert.deepEqual(parseValuePath('a[x]'), { ok: false, error: 'Not a valid path at character 2: use keys and indexes like data.values[0].temp.' });
  });

  test('numbers from plain payloads, JSON paths, numeric strings and booleans; nothing from the rest', () => {
    assert.equal(numberAt(bytes(' 21.5\n'), []), 21.5);
    assert.equal(numberAt(bytes('{"t":{"v":[1,2,3]}}'), steps('t.v[1]')), 2);
    assert.equal(numberAt(bytes('{"t":"7.25"}'), steps('t')), 7.25);
    assert.equal(numberAt(bytes('{"on":true}'), steps('on')), 1);
    assert.equal(numberAt(bytes('online'), []), undefined);
    assert.equal(numberAt(bytes('{"t":null}'), steps('t.x')), undefined);
    assert.equal(numberAt(bytes('{"t":'), steps('t')), undefined);
    assert.equal(numberAt(new Uint8Array(), []), undefined);
  });

  test('suggests the payload itself, or the first numeric leaf, or nothing', () => {
    assert.equal(suggestValuePath(bytes('42')), '');
    assert.equal(suggestValuePath(bytes('{"unit":"C","reading":{"temp":21.4}}')), 'reading.temp');
    assert.equal(suggestValuePath(bytes('{"a b":[{"x":1}]}')), '["a b"][0].x');
    assert.equal(suggestValuePath(bytes('{"unit":"C"}')), undefined);
    assert.equal(suggestValuePath(bytes('hello')), undefined);
  });

  test('a topic series keeps the newest points, oldest first, and counts messages without a number', () => {
    const history = new MessageHistory();
    for (let i = 0; i < 10; i++) history.append(message('s/t', JSON.stringify({ t: i }), 1000 + i));
    history.append(message('s/t', '{"t":"n/a"}', 2000));
    history.append(message('s/other', '{"t":99}', 2001));
    const series = topicSeries(history.entriesNewestFirst(), 's/t', steps('t'), 4);
    assert.deepEqual(series, { points: [[1006, 6], [1007, 7], [1008, 8], [1009, 9]], skipped: 1 });
  });
});
