import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { codecs, decodePayload, detectCodec, encodePayload, ProtoRegistry } from '../../src/core/payload/index';
import type { CodecId, DecodeContext } from '../../src/core/payload/index';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUNS = 10_000;

/** Random bytes biased towards the interesting: structure bytes of CBOR/MessagePack/protobuf, text, short buffers. */
function randomBytes(next: () => number): Uint8Array {
  const length = Math.floor(next() ** 2 * 200);
  const bytes = new Uint8Array(length);
  const mode = Math.floor(next() * 4);
  for (let i = 0; i < length; i++) {
    if (mode === 0) bytes[i] = Math.floor(next() * 256);
    else if (mode === 1) bytes[i] = 0x20 + Math.floor(next() * 95);
    else if (mode === 2) bytes[i] = [0x80, 0x9f, 0xa1, 0xbf, 0xff, 0x18, 0x1b, 0x5f, 0x7f, 0xc1, 0xdc, 0xdf, 0xd4, 0x0a, 0x12, 0x08][Math.floor(next() * 16)] ?? 0;
    else bytes[i] = next() < 0.5 ? Math.floor(next() * 256) : 0x80 + Math.floor(next() * 64);
  }
  return bytes;
}

/** Random strings: JSON-like fragments, hex/base64-like characters, unicode and lone surrogates. */
function randomString(next: () => number): string {
  const pieces = ['{', '}', '[', ']', '"', ':', ',', ' ', '\n', '0x', '1', '-', '.', 'e', 'true', 'null', 'a', 'Z', '=', '+', '/', '\\', 'é', '✓', '\ud800', '😀', '\t', '"int_value"', '"datatype"', '"Int8"', '"metrics"', '"readings"', '"unit"', '"CELSIUS"'];
  const count = Math.floor(next() * 40);
  let out = '';
  for (let i = 0; i < count; i++) out += pieces[Math.floor(next() * pieces.length)] ?? '';
  return out;
}

describe('random input', () => {
  const { registry } = ProtoRegistry.fromFiles([{ fileName: 'sensors.proto', source: readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'sensors.proto'), 'utf8') }]);
  const ids = codecs.map((c) => c.id);

  test(`${RUNS} random byte arrays through every decoder and auto: nothing escapes`, () => {
    const next = prng(20240611);
    const counts: Record<string, { ok: number; error: number }> = {};
    for (let run = 0; run < RUNS; run++) {
      const bytes = randomBytes(next);
      const context: DecodeContext = { topic: next() < 0.2 ? 'spBv1.0/g/DDATA/n/d' : 'x/y', proto: registry, protoType: next() < 0.3 ? 'acme.sensors.Batch' : undefined, maxBytes: next() < 0.1 ? 16 : undefined };
      for (const id of [...ids, 'auto'] as (CodecId | 'auto')[]) {
        const result = decodePayload(bytes, id, context);
        const count = (counts[id] ??= { ok: 0, error: 0 });
        if (result.ok) {
          assert.equal(typeof result.text, 'string');
          count.ok++;
        } else {
          assert.ok(result.error.length > 0);
          assert.ok(!/undefined|\[object/.test(result.error), `${id}: ${result.error}`);
          count.error++;
        }
      }
      detectCodec(bytes, context);
    }
    console.log(`decode outcomes over ${RUNS} random payloads: ${JSON.stringify(counts)}`);
    // Text, hex and base64 show anything; the structured codecs must refuse most random input.
    assert.equal(counts.hex?.ok, RUNS);
    assert.equal(counts.text?.ok, RUNS);
    assert.ok((counts.cbor?.error ?? 0) > RUNS / 2);
    assert.ok((counts.msgpack?.error ?? 0) > RUNS / 2);
  });

  test(`${RUNS} random strings through every encoder: nothing escapes`, () => {
    const next = prng(77);
    const counts: Record<string, { ok: number; error: number }> = {};
    for (let run = 0; run < RUNS; run++) {
      const text = randomString(next);
      for (const id of ids) {
        const result = encodePayload(text, id, { proto: registry, protoType: next() < 0.5 ? 'acme.sensors.Batch' : 'acme.sensors.Reading', jsonStyle: 'pretty' });
        const count = (counts[id] ??= { ok: 0, error: 0 });
        if (result.ok) {
          assert.ok(result.bytes instanceof Uint8Array);
          count.ok++;
        } else {
          assert.ok(result.error.length > 0);
          count.error++;
        }
      }
    }
    console.log(`encode outcomes over ${RUNS} random strings: ${JSON.stringify(counts)}`);
    assert.equal(counts.text?.ok, RUNS);
    // Whatever JSON encodes, the JSON-based encoders agree it is JSON (they share one parser).
    assert.equal(counts.cbor?.ok, counts.json?.ok);
    assert.equal(counts.msgpack?.ok, counts.json?.ok);
  });
});
