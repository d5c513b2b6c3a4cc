// Random input for every function that takes what a broker, a user or the webview sends: 10,000 inputs each
// from a seeded PRNG (mulberry32), so a failure names its seed, run and input and reproduces. Nothing may throw,
// and every result must have the promised shape. Prints nothing per input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { numberAt, parseValuePath, suggestValuePath } from '../../src/core/history/series';
import { codecs, decodePayload, detectCodec, ProtoRegistry, type DecodeContext, type DecodeResult, type EncodeResult } from '../../src/core/payload/index';
import { topicMatchesFilter, validateTopicFilter, validateTopicName } from '../../src/core/topics';
import { validateFromWebview } from '../../src/shared/validateFromWebview';
import { mulberry32, randomBytes, randomPath, randomText, randomTopic, topicFor, randomValue, randomWebviewMessage, show, type Next } from '../helpers/fuzzInputs';

const RUNS = 10_000;

/**
 * Runs `check` on `RUNS` inputs made by `make` from a PRNG seeded with `seed` (`check` may draw from it too).
 * The first failure throws with the seed, the run and the input, so it can be replayed.
 */
function fuzz<T>(seed: number, make: (next: Next) => T, check: (input: T, next: Next) => void): void {
  const next = mulberry32(seed);
  for (let run = 0; run < RUNS; run++) {
    const input = make(next);
    try {
      check(input, next);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`fuzz failure (seed ${seed}, run ${run}) for input ${show(input)}:\n${why}`);
    }
  }
}

const LANGUAGES = new Set(['json', 'text', 'hex']);

function checkDecoded(result: DecodeResult, who: string): boolean {
  if (result.ok) {
    assert.equal(typeof result.text, 'string', `${who}: text`);
    assert.ok(LANGUAGES.has(result.language), `${who}: language ${String(result.language)}`);
    assert.ok(result.notes === undefined || result.notes.every((n) => typeof n === 'string' && n.length > 0), `${who}: notes`);
    return true;
  }
  assert.ok(typeof result.error === 'string' && result.error.length > 0, `${who}: error sentence`);
  assert.ok(!/undefined|\[object|NaN/.test(result.error), `${who}: ${result.error}`);
  assert.ok(result.offset === undefined || (Number.isInteger(result.offset) && result.offset >= 0), `${who}: offset ${String(result.offset)}`);
  return false;
}

function checkEncoded(result: EncodeResult, who: string): boolean {
  if (result.ok) {
    assert.ok(result.bytes instanceof Uint8Array, `${who}: bytes`);
    return true;
  }
  assert.ok(typeof result.error === 'string' && result.error.length > 0, `${who}: error sentence`);
  for (const key of ['offset', 'line', 'column'] as const) {
    const v = result[key];
    assert.ok(v === undefined || (Number.isInteger(v) && v >= 0), `${who}: ${key} ${String(v)}`);
  }
  return false;
}

describe('payload codecs on random input', () => {
  const fixture = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'sensors.proto');
  const { registry } = ProtoRegistry.fromFiles([{ fileName: 'sensors.proto', source: readFileSync(fixture, 'utf8') }]);
  const ids = new Set<string>(codecs.map((c) => c.id));

  test(`${RUNS} random payloads through every codec's decode, detect and 'auto'`, () => {
    const ok: Record<string, number> = {};
    fuzz(20240611, randomBytes, (bytes, next) => {
      const context: DecodeContext = { topic: next() < 0.2 ? 'spBv1.0/g/DDATA/n/d' : 'x/y', proto: registry, protoType: next() < 0.3 ? 'acme.sensors.Batch' : undefined, maxBytes: next() < 0.1 ? 16 : undefined };
      for (const codec of codecs) {
        if (checkDecoded(codec.decode(bytes, context), codec.id)) ok[codec.id] = (ok[codec.id] ?? 0) + 1;
        const confidence = codec.detect?.(bytes, context) ?? 0;
        assert.ok(confidence >= 0 && confidence <= 1, `${codec.id}.detect gave ${confidence}`);
      }
      const auto = decodePayload(bytes, 'auto', context);
      checkDecoded(auto, 'auto');
      assert.ok(ids.has(auto.codec) && ids.has(detectCodec(bytes, context)), `auto chose ${auto.codec}`);
    });
    // Text and hex show anything; the structured codecs must refuse most random bytes.
    assert.equal(ok.hex, RUNS);
    assert.equal(ok.text, RUNS);
    assert.ok((ok.cbor ?? 0) < RUNS / 2 && (ok.msgpack ?? 0) < RUNS / 2, JSON.stringify(ok));
  });

  test(`${RUNS} random texts through every encoder`, () => {
    const ok: Record<string, number> = {};
    fuzz(77, randomText, (text, next) => {
      const context = { proto: registry, protoType: next() < 0.5 ? 'acme.sensors.Batch' : 'acme.sensors.Reading', jsonStyle: next() < 0.5 ? ('pretty' as const) : ('minify' as const) };
      for (const codec of codecs) {
        if (codec.encode !== undefined && checkEncoded(codec.encode(text, context), codec.id)) ok[codec.id] = (ok[codec.id] ?? 0) + 1;
      }
    });
    assert.equal(ok.text, RUNS);
    // Whatever JSON encodes, the JSON-based encoders agree it is JSON (they share one parser).
    assert.equal(ok.cbor, ok.json);
    assert.equal(ok.msgpack, ok.json);
  });
});

/** The MQTT matching rules written the slow, obvious way, for valid filters and topic names. */
function referenceMatch(filter: string, topic: string): boolean {
  const levels = (filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter).split('/');
  const topicLevels = topic.split('/');
  if ((levels[0] === '+' || levels[0] === '#') && topic.startsWith('$')) return false;
  for (let i = 0; i < levels.length; i++) {
    if (levels[i] === '#') return true;
    if (i >= topicLevels.length || (levels[i] !== '+' && levels[i] !== topicLevels[i])) return false;
  }
  return levels.length === topicLevels.length;
}

describe('topics on random input', () => {
  const sentence = (v: string | undefined, who: string): void => assert.ok(v === undefined || (typeof v === 'string' && v.length > 0 && !/undefined|NaN/.test(v)), `${who}: ${String(v)}`);

  test(`${RUNS} random topic names and filters are validated with a sentence or accepted`, () => {
    fuzz(7, randomTopic, (text) => {
      const name = validateTopicName(text);
      sentence(name, 'validateTopicName');
      sentence(validateTopicFilter(text), 'validateTopicFilter');
      if (name === undefined) assert.ok(!text.includes('+') && !text.includes('#') && text.length > 0, 'a valid name has no wildcard');
    });
  });

  test(`${RUNS} random filter/topic pairs: topicMatchesFilter agrees with the reference for valid ones`, () => {
    let valid = 0;
    fuzz(
      11,
      (next) => {
        const filter = randomTopic(next);
        return [filter, next() < 0.5 ? topicFor(filter, next) : randomTopic(next)] as const;
      },
      ([filter, topic]) => {
        const matched = topicMatchesFilter(filter, topic);
        assert.equal(typeof matched, 'boolean');
        if (validateTopicFilter(filter) !== undefined || validateTopicName(topic) !== undefined) return;
        valid++;
        assert.equal(matched, referenceMatch(filter, topic), `filter ${JSON.stringify(filter)} on topic ${JSON.stringify(topic)}`);
        if (!filter.includes('+') && !filter.includes('#') && !filter.startsWith('$share/')) assert.equal(topicMatchesFilter(filter, filter), true);
      },
    );
    assert.ok(valid > RUNS / 10, `enough valid pairs to mean something: ${valid}`);
  });
});

describe('chart paths on random input', () => {
  test(`${RUNS} random paths and payloads: parseValuePath, numberAt and suggestValuePath`, () => {
    fuzz(
      5,
      (next) => ({ path: next() < 0.3 ? randomText(next) : randomPath(next), payload: next() < 0.6 ? new TextEncoder().encode(JSON.stringify(randomValue(next, 0)) ?? '') : randomBytes(next) }),
      ({ path, payload }) => {
        const parsed = parseValuePath(path);
        if (parsed.ok) assert.ok(parsed.steps.every((s) => typeof s === 'string' || (Number.isInteger(s) && s >= 0)), 'steps are keys or indexes');
        else assert.ok(parsed.error.length > 0);
        const value = numberAt(payload, parsed.ok ? parsed.steps : []);
        assert.ok(value === undefined || Number.isFinite(value), `numberAt gave ${String(value)}`);
        const suggested = suggestValuePath(payload);
        if (suggested === undefined) return;
        const again = parseValuePath(suggested);
        assert.ok(again.ok, `the suggested path ${JSON.stringify(suggested)} parses`);
        assert.ok(Number.isFinite(numberAt(payload, again.steps)), `and leads to a number`);
      },
    );
  });
});

/** Every field of `out` is in `input` with the same value: validation may drop fields, never invent them. */
function assertTakenFrom(out: unknown, input: unknown, where = 'message'): void {
  if (typeof out !== 'object' || out === null) return assert.deepEqual(out, input, where);
  assert.ok(typeof input === 'object' && input !== null, `${where} is an object in the input`);
  for (const [key, value] of Object.entries(out)) assertTakenFrom(value, (input as Record<string, unknown>)[key], `${where}.${key}`);
}

describe('webview messages on random input', () => {
  test(`${RUNS} random and mutated messages: validateFromWebview accepts or says why, and never invents fields`, () => {
    fuzz(
      3,
      (next) => (next() < 0.7 ? randomWebviewMessage(next) : randomValue(next, 0)),
      (raw) => {
        const result = validateFromWebview(raw);
        if (!result.ok) {
          assert.ok(typeof result.reason === 'string' && result.reason.length > 0 && result.reason.length < 300, `reason: ${result.reason}`);
          return;
        }
        assert.equal(typeof result.message.type, 'string');
        assertTakenFrom(result.message, raw);
        assert.deepEqual(validateFromWebview(result.message), result, 'an accepted message is accepted again as it is');
      },
    );
  });
});
