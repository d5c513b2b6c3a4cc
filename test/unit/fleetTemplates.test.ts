// Fleet scenario templates and payload generators: placeholders, typed values, encodings, and the same payloads
// for the same seed (a different seed or client gives different ones).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode as decodeCbor } from 'cbor-x';
import { decode as decodeMsgpack } from '@msgpack/msgpack';
import { encodeValue, replyFor, StreamMessages } from '../../src/core/fleet/messages';
import { SeededRandom } from '../../src/core/fleet/random';
import { parseScenario, type PublishStream, type Scenario } from '../../src/core/fleet/scenario';
import { compileString, compileValue, renderString, renderValue } from '../../src/core/fleet/template';

function scenario(publish: unknown, extra: Record<string, unknown> = {}): Scenario {
  const parsed = parseScenario({ broker: 'Local', clients: 3, publish: [publish], ...extra });
  assert.deepEqual(parsed.problems, []);
  assert.ok(parsed.scenario);
  return parsed.scenario;
}

const decodeJson = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));

function series(stream: PublishStream, index: number, seed: number, count: number): unknown[] {
  const messages = new StreamMessages(stream, index, `sim-${index}`, seed, 0);
  return Array.from({ length: count }, (_, i) => decodeJson(messages.next(1_700_000_000_000 + i * 1000, i).payload));
}

describe('templates', () => {
  test('string templates substitute variables and keep doubled braces literal', () => {
    const compiled = compileString('devices/{clientId}/t{{x}}');
    assert.ok(!('error' in compiled));
    assert.equal(renderString(compiled, (name) => (name === 'clientId' ? 'sim-7' : undefined)), 'devices/sim-7/t{x}');
    assert.deepEqual(compileString('a/{clientId'), { error: '"{" at character 3 is not closed; write {{ for a literal brace' });
    assert.deepEqual(compileString('a/{1x}'), { error: '"{1x}" is not a variable name; write {{ for a literal brace' });
  });

  test('a string that is one placeholder keeps the value type; mixed strings become text', () => {
    const problems: string[] = [];
    const template = compileValue({ n: '{n}', label: 'n={n}', list: ['{n}', 2], fixed: true }, 'payload', problems);
    assert.deepEqual(problems, []);
    assert.deepEqual(renderValue(template, () => 21.5), { n: 21.5, label: 'n=21.5', list: [21.5, 2], fixed: true });
  });
});

describe('generators', () => {
  const stream = scenario({
    topic: 'd/{clientId}',
    rate: 1,
    payload: { seq: '{seq}', i: '{index}', s: '{counter}', r: '{r}', f: '{f}', w: '{w}', p: '{p}', u: '{u}', sine: '{sine}', saw: '{saw}', ts: '{ts}', iso: '{iso}' },
    generators: {
      counter: { type: 'sequence', start: 10, step: 5 },
      r: { type: 'int', min: 1, max: 6 },
      f: { type: 'float', min: 0, max: 1, decimals: 3 },
      w: { type: 'walk', start: 50, step: 2, min: 0, max: 100 },
      p: { type: 'pick', values: ['on', 'off', 3] },
      u: { type: 'uuid' },
      sine: { type: 'sine', min: 0, max: 10, periodSeconds: 4 },
      saw: { type: 'sawtooth', min: 0, max: 8, periodSeconds: 4 },
      ts: { type: 'timestamp', format: 'ms' },
      iso: { type: 'timestamp', format: 'iso' },
    },
  }).publish[0];

  test('the same seed and client give the same payloads; another seed or client does not', () => {
    const first = series(stream, 2, 42, 20);
    assert.deepEqual(series(stream, 2, 42, 20), first);
    assert.notDeepEqual(series(stream, 2, 43, 20), first);
    assert.notDeepEqual(series(stream, 3, 42, 20), first);
  });

  test('each generator keeps to its definition', () => {
    const values = series(stream, 2, 7, 200) as Array<Record<string, unknown>>;
    values.forEach((v, i) => {
      assert.equal(v.seq, i + 1);
      assert.equal(v.i, 2);
      assert.equal(v.s, 10 + 5 * i);
      assert.ok(Number.isInteger(v.r) && (v.r as number) >= 1 && (v.r as number) <= 6, `int ${String(v.r)}`);
      assert.ok((v.f as number) >= 0 && (v.f as number) <= 1 && String(v.f).split('.')[1]?.length !== 4);
      assert.ok((v.w as number) >= 0 && (v.w as number) <= 100);
      assert.ok(['on', 'off', 3].includes(v.p as string));
      assert.match(v.u as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(v.ts, 1_700_000_000_000 + i * 1000);
      assert.equal(v.iso, new Date(1_700_000_000_000 + i * 1000).toISOString());
    });
    // Elapsed seconds 0..3 over a 4 s period: the sine starts at the middle, peaks at 1 s; the sawtooth climbs.
    assert.deepEqual(values.slice(0, 4).map((v) => v.sine), [5, 10, 5, 0]);
    assert.deepEqual(values.slice(0, 5).map((v) => v.saw), [0, 2, 4, 6, 0]);
    const walkSteps = values.slice(1).map((v, i) => Math.abs((v.w as number) - (values[i].w as number)));
    assert.ok(walkSteps.every((step) => step <= 2 + 1e-9) && walkSteps.some((step) => step > 0));
    const rolls = new Set(values.map((v) => v.r));
    assert.equal(rolls.size, 6, 'every face of the die comes up in 200 rolls');
  });

  test('the seeded generator repeats exactly and spreads evenly', () => {
    const a = new SeededRandom(99);
    const b = new SeededRandom(99);
    const draws = Array.from({ length: 10_000 }, () => a.next());
    assert.deepEqual(Array.from({ length: 10_000 }, () => b.next()), draws);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });
});

describe('payload formats and replies', () => {
  test('a rendered value encodes as JSON, text, hex, CBOR and MessagePack', () => {
    const value = { t: 21.5, ok: true };
    assert.deepEqual(decodeJson(encodeValue(value, 'json', undefined, undefined)), value);
    assert.equal(new TextDecoder().decode(encodeValue('hello 7', 'text', undefined, undefined)), 'hello 7');
    assert.deepEqual([...encodeValue('c0ffee', 'hex', undefined, undefined)], [0xc0, 0xff, 0xee]);
    assert.deepEqual(decodeCbor(encodeValue(value, 'cbor', undefined, undefined)), value);
    assert.deepEqual(decodeMsgpack(encodeValue(value, 'msgpack', undefined, undefined)), value);
    assert.throws(() => encodeValue('zz', 'hex', undefined, undefined));
  });

  test('a reply uses the request topic, payload and JSON fields', () => {
    const { scenario: parsed } = parseScenario({ broker: 'Local', respond: [{ filter: 'devices/{clientId}/cmd/#', payload: { ok: true, id: '{request.json.id}', on: '{request.topic}', by: '{clientId}' } }] });
    assert.ok(parsed);
    const reply = replyFor(parsed.respond[0], { topic: 'devices/sim-1/cmd/reboot', payload: new TextEncoder().encode('{"id":17}') }, 1, 'sim-1', 0);
    assert.equal(reply.topic, undefined);
    assert.deepEqual(decodeJson(reply.payload), { ok: true, id: 17, on: 'devices/sim-1/cmd/reboot', by: 'sim-1' });
  });
});
