// Field extraction for watches and rules goes through the payload codec registry: every codec that decodes to a
// value is readable by path; rule and watch settings are validated with a path and a sentence.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodePayload, ProtoRegistry } from '../../src/core/payload/index';
import { StructRegistry } from '../../src/core/payload/cstruct/registry';
import { cannotBeNumberText, fieldSpec, numericValue, readField, type FieldSpec } from '../../src/core/monitor/fieldValue';
import { parseAlertRules } from '../../src/core/monitor/ruleParse';
import { parseWatches, WatchBook } from '../../src/core/monitor/watches';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
function encoded(json: string, codec: 'cbor' | 'msgpack' | 'sparkplug' | 'protobuf', proto?: ProtoRegistry): Uint8Array {
  const result = encodePayload(json, codec, { proto, protoType: 'lab.Reading' });
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.bytes;
}
function spec(path: string, codec: FieldSpec['codec'] = 'auto'): FieldSpec {
  const s = fieldSpec(path, codec);
  assert.ok(typeof s !== 'string', String(s));
  return s;
}
const message = (topic: string, payload: Uint8Array, receivedAt = 0): MqttMessage => ({ topic, payload, qos: 0, retain: false, dup: false, receivedAt, seq: 0, direction: 'in' });

describe('readField: one path syntax for every codec', () => {
  test('JSON, plain text and a numeric payload', () => {
    assert.deepEqual(readField(text('{"data":{"values":[{"temp":21.5}]}}'), spec('data.values[0].temp')), { ok: true, value: 21.5 });
    assert.deepEqual(readField(text(' 42 \n'), spec('')), { ok: true, value: '42' });
    assert.deepEqual(readField(text('offline'), spec('', 'text')), { ok: true, value: 'offline' });
  });

  test('CBOR and MessagePack', () => {
    assert.deepEqual(readField(encoded('{"t":{"c":7}}', 'cbor'), spec('t.c', 'cbor')), { ok: true, value: 7 });
    assert.deepEqual(readField(encoded('{"list":[1,2,{"x":"y"}]}', 'msgpack'), spec('list[2].x', 'msgpack')), { ok: true, value: 'y' });
  });

  test('Protobuf with the user\'s types, and Sparkplug metrics by name', () => {
    const { registry } = ProtoRegistry.fromFiles([{ fileName: 'r.proto', source: 'syntax = "proto3"; package lab; message Reading { double celsius = 1; string unit = 2; }' }]);
    const proto = encoded('{"celsius":19.25,"unit":"C"}', 'protobuf', registry);
    assert.deepEqual(readField(proto, spec('celsius', 'protobuf'), { proto: registry, protoType: 'lab.Reading' }), { ok: true, value: 19.25 });
    const spb = encoded('{"timestamp":1,"metrics":[{"name":"Pressure","datatype":"Double","double_value":1.5},{"name":"Temperature","datatype":"Float","float_value":30}]}', 'sparkplug');
    assert.deepEqual(readField(spb, spec('metrics.Temperature.float_value'), { topic: 'spBv1.0/g/DDATA/n/d' }), { ok: true, value: 30 });
  });

  test('C structs from the user\'s headers, with or without the type name in front of the path', () => {
    const header = { fileName: 'fw/telemetry.h', source: 'typedef struct { uint16_t mv; int8_t temp_c; } battery_t;\ntypedef struct { uint32_t seq; battery_t battery; } telemetry_t;' };
    const { registry, errors } = StructRegistry.fromFiles([header], { endianness: 'little', packing: 1 });
    assert.deepEqual(errors, []);
    const context = { topic: 'dev/1/telemetry', structs: registry, structTypeForTopic: (topic: string) => (topic.endsWith('/telemetry') ? 'telemetry_t' : undefined) };
    const payload = Uint8Array.from([7, 0, 0, 0, 0x80, 0x0e, 0xfb]); // seq 7, mv 3712, temp_c -5
    assert.deepEqual(readField(payload, spec('telemetry_t.battery.mv'), context), { ok: true, value: 3712 });
    assert.deepEqual(readField(payload, spec('battery.temp_c', 'cstruct'), context), { ok: true, value: -5 });
    assert.deepEqual(readField(payload, spec('seq'), context), { ok: true, value: 7 });
  });

  test('a path that matches nothing, and an undecodable payload, say why (no throw)', () => {
    assert.deepEqual(readField(text('{"a":1}'), spec('b.c', 'json')), { ok: false, reason: 'Nothing at b.c in this json payload.' });
    const bad = readField(text('{"a":'), spec('a', 'json'));
    assert.equal(bad.ok, false);
    assert.equal(fieldSpec('a..b', 'auto'), 'Not a valid path at character 2: use keys and indexes like data.values[0].temp.');
  });
});

describe('cannotBeNumberText', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const asNumber = (payload: Uint8Array): number | undefined => {
    const read = readField(payload, { codec: 'text', steps: [], path: '' });
    return read.ok ? numericValue(read.value) : undefined;
  };

  test('says "not a number" only for payloads whose text is not one', () => {
    for (const text of ['{"t":21}', 'online', '', '   ', '\t\n', 'NaN', 'Infinity', 'true', '*'.repeat(64)]) assert.equal(cannotBeNumberText(bytes(text)), true, JSON.stringify(text));
    for (const text of ['42', '  -1.5 ', '+3', '.5', '0x1f', '\uFEFF42', '\u00a042', '1e3']) assert.equal(cannotBeNumberText(bytes(text)), false, JSON.stringify(text));
  });

  test('never hides a number: on 20,000 random payloads, "not a number" means the decoded text is none', () => {
    let seed = 3;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const alphabet = [...' \t\n+-.0123456789eExXaIinfNty{}"'].map((c) => c.charCodeAt(0)).concat([0xc2, 0xa0, 0xef, 0xbb, 0xbf, 0x00]);
    for (let i = 0; i < 20_000; i++) {
      const payload = Uint8Array.from({ length: next(8) }, () => alphabet[next(alphabet.length)] ?? 0);
      if (cannotBeNumberText(payload)) assert.equal(asNumber(payload), undefined, `${Buffer.from(payload).toString('hex')}`);
    }
  });
});

describe('parseAlertRules', () => {
  const context = { savedMessages: new Set(['Reset boiler']) };

  test('a valid rule of each kind is read', () => {
    const { rules, problems } = parseAlertRules(
      [
        { name: 'Hot', topic: 'boiler/+/temp', path: 'celsius', when: { above: 80, hysteresis: 2, forSeconds: 5 }, cooldownSeconds: 30, action: { publishSaved: 'Reset boiler' } },
        { name: 'Gone', topic: 'dev/#', when: { silentForSeconds: 10 } },
        { name: 'Offline', topic: 'dev/+/status', when: { equals: 'offline' }, action: { publish: { topic: 'dev/{topic}/restart', payload: '{value}' } } },
        { name: 'Flaky', connection: 'Lab', when: { reconnects: { count: 3, withinMinutes: 5 } }, action: { reconnect: true } },
      ],
      context,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(rules.map((r) => r.condition.kind), ['above', 'silence', 'equals', 'reconnects']);
    assert.deepEqual(rules[0]?.condition, { kind: 'above', limit: 80, hysteresis: 2, forMs: 5000 });
    assert.equal(rules[0]?.cooldownMs, 30_000);
  });

  test('every wrong field is one sentence with its path; the good rules stay', () => {
    const { rules, problems } = parseAlertRules(
      [
        { name: 'Good', topic: 'a', when: { below: 1 } },
        { name: 'Percent', topic: 'a', when: { above: '80%' } },
        { name: 'Regex', topic: 'a', when: { matches: '(' } },
        { name: 'Saved', topic: 'a', when: { changes: true }, action: { publishSaved: 'Nope' } },
        { name: 'Two', topic: 'a/#/b', when: { above: 1, below: 2 } },
        { topic: 'a', when: {}, colour: 'red' },
      ],
      context,
    );
    assert.deepEqual(rules.map((r) => r.name), ['Good']);
    assert.deepEqual(problems, [
      'alerts[1].when.above: must be a number, not the string "80%"',
      'alerts[2].when.matches: is not a valid regular expression: Invalid regular expression: /(/u: Unterminated group',
      'alerts[3].action.publishSaved: there is no saved message named "Nope"; save one with "MQTT: Save Message" or fix the name',
      "alerts[4].topic: '#' must be the last level of a filter, e.g. a/b/#.",
      'alerts[4].when: needs exactly one of above, below, between, outside, equals, matches, changes, silentForSeconds, rateAbove, rateBelow, disconnectedForSeconds, reconnects, rttAboveMs, not above and below',
      'alerts[5].name: is required',
      'alerts[5].when: needs exactly one of above, below, between, outside, equals, matches, changes, silentForSeconds, rateAbove, rateBelow, disconnectedForSeconds, reconnects, rttAboveMs',
      'alerts[5].colour: unknown field',
    ]);
    assert.deepEqual(parseAlertRules({}, context).problems, ['alerts: must be an array of rules']);
  });
});

describe('watches', () => {
  test('parse, then values, min/max/avg, trend and the sparkline samples; a missing field is shown, not thrown', () => {
    const { watches, problems } = parseWatches([{ topic: 'lab/temp', path: 't', unit: '°C' }, { topic: 'lab/#', label: 'anything' }, { topic: 'x', format: 'yaml' }]);
    assert.deepEqual(problems, ['watches[2].format: must be one of "auto", "text", "json", "hex", "base64", "cbor", "msgpack", "protobuf", "sparkplug", "cstruct", not "yaml"']);
    const book = new WatchBook();
    book.setWatches(watches);
    for (const [i, t] of [20, 25, 22].entries()) book.message('Lab', message('lab/temp', text(`{"t":${t}}`), i));
    book.message('Lab', message('lab/temp', text('{"other":1}'), 9));
    const [temp, any] = book.list();
    assert.equal(temp?.text, '22');
    assert.equal(temp?.problem, 'Nothing at t in this json payload.');
    assert.deepEqual([temp?.min, temp?.max, (temp?.sum ?? 0) / (temp?.numericCount ?? 1), temp?.trend, temp?.count], [20, 25, 67 / 3, 'down', 4]);
    assert.deepEqual(temp?.samples, [20, 25, 22]);
    assert.equal(any?.text, '{"other":1}');
    assert.ok(book.dirty);
  });
});
