/**
 * Benchmark of the payload codecs: decode throughput per codec on 10,000 small payloads (about 60 bytes each)
 * and on one 1 MB payload, plus detection ("Auto") on the small ones. Prints a table, then one JSON line.
 *
 * Run: node out/test/bench/payload.bench.js
 * No assertions on timing: figures depend on the machine.
 */
import { performance } from 'node:perf_hooks';
import { decodePayload, detectCodec, encodePayload } from '../../src/core/payload/index';
import type { CodecId, EncodeResult } from '../../src/core/payload/index';

const SMALL = 10_000;

function bytesOf(result: EncodeResult): Uint8Array {
  if (!result.ok) throw new Error(result.error);
  return result.bytes;
}

const sampleJson = (i: number): string => JSON.stringify({ sensor: `t${i % 100}`, value: 20 + (i % 50) / 10, unit: 'C', ok: i % 2 === 0, at: 1700000000000 + i });
const sparkplugJson = (i: number): string =>
  JSON.stringify({ timestamp: 1700000000000 + i, metrics: [{ name: 'temp', alias: 1, datatype: 'Double', double_value: 20 + i / 10 }, { name: 'count', datatype: 'Int32', int_value: -i }], seq: i % 256 });

/** Small payloads for a codec: decodable ones for the structured codecs. */
function smallPayloads(id: CodecId): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < SMALL; i++) {
    const text = sampleJson(i);
    if (id === 'cbor' || id === 'msgpack') out.push(bytesOf(encodePayload(text, id)));
    else if (id === 'sparkplug') out.push(bytesOf(encodePayload(sparkplugJson(i), 'sparkplug')));
    else out.push(new TextEncoder().encode(text));
  }
  return out;
}

/** A ~1 MB payload for a codec. */
function bigPayload(id: CodecId): Uint8Array {
  const items = Array.from({ length: 14_000 }, (_, i) => JSON.parse(sampleJson(i)) as unknown);
  const text = JSON.stringify(items);
  if (id === 'cbor' || id === 'msgpack') return bytesOf(encodePayload(text, id));
  if (id === 'sparkplug') {
    const metrics = Array.from({ length: 30_000 }, (_, i) => ({ name: `m${i}`, datatype: 'Double', double_value: i / 3 }));
    return bytesOf(encodePayload(JSON.stringify({ timestamp: 1, metrics }), 'sparkplug'));
  }
  return new TextEncoder().encode(text);
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return Math.round((performance.now() - t0) * 10) / 10;
}

const ids: CodecId[] = ['text', 'json', 'hex', 'base64', 'cbor', 'msgpack', 'sparkplug'];
const results: Record<string, { smallMs: number; smallPerSec: number; bigBytes: number; bigMs: number; bigPreviewMs: number }> = {};
for (const id of ids) {
  const small = smallPayloads(id);
  const big = bigPayload(id);
  for (let i = 0; i < 1000; i++) decodePayload(small[i % small.length] ?? new Uint8Array(0), id); // warm-up
  let failures = 0;
  const smallMs = time(() => {
    for (const payload of small) if (!decodePayload(payload, id).ok) failures++;
  });
  let bigOk = false;
  const bigMs = time(() => {
    bigOk = decodePayload(big, id).ok;
  });
  const bigPreviewMs = time(() => {
    decodePayload(big, id, { maxBytes: 4096 });
  });
  if (failures > 0 || !bigOk) throw new Error(`${id}: ${failures} small failures, big ok ${String(bigOk)}`);
  results[id] = { smallMs, smallPerSec: Math.round(SMALL / (smallMs / 1000)), bigBytes: big.length, bigMs, bigPreviewMs };
  console.log(`${id.padEnd(10)} 10k small: ${String(smallMs).padStart(7)} ms   1 MB (${big.length} B): ${String(bigMs).padStart(7)} ms   preview: ${bigPreviewMs} ms`);
}
const autoSmall = smallPayloads('cbor');
const autoMs = time(() => {
  for (const payload of autoSmall) detectCodec(payload, {});
});
console.log(`auto-detect 10k small CBOR payloads: ${autoMs} ms`);
console.log(JSON.stringify({ bench: 'payload', small: SMALL, codecs: results, autoDetectSmallMs: autoMs }));
