/**
 * Benchmark of the C struct codec: decode rate of a 64-byte packed struct (nested fields, a string, an array,
 * floats, an enum, bit-fields) and of a 4 KB struct with arrays of structs, against JSON.parse of the same
 * values as JSON text in the same run. Two figures each: the field values alone (what Watches and charts
 * read) and the whole codec (values plus the pretty JSON text the detail pane shows). Prints one JSON line.
 *
 * Run: node out/test/bench/cstruct.bench.js   (goal: >= 1M/s for the 64-byte values)
 * No assertions on timing: figures depend on the machine.
 */
import { performance } from 'node:perf_hooks';
import { decodePayload, encodePayload, StructRegistry } from '../../src/core/payload/index';
import { round } from './measure';
import { CORPUS_HEADERS, corpusFile } from '../helpers/cstructCorpus';

const FRAME64 = `#pragma pack(push, 1)
typedef enum { IDLE, RUN, FAULT } mode_t_;
typedef struct { uint16_t mv; int8_t temp_c; uint8_t percent; } battery_t;
typedef struct {
  uint32_t seq; uint64_t uptime_ms; battery_t battery; char name[16]; int16_t temps[4]; float humidity; double pressure;
  bool online; uint8_t mode; uint8_t charging : 1, level : 3, trend : 4; uint8_t spare; int32_t offset; uint32_t crc;
} frame64_t;
#pragma pack(pop)`;

const { registry } = StructRegistry.fromFiles([...CORPUS_HEADERS.map(corpusFile), { fileName: 'frame64.h', source: FRAME64 }]);

/** Runs `fn` for about `ms` milliseconds (after a warm-up); returns calls per second. */
function rate(fn: () => void, ms = 1500): number {
  for (let i = 0; i < 2000; i++) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    now = performance.now();
  }
  return Math.round(calls / ((now - start) / 1000));
}

function measure(structType: string, json: unknown): Record<string, number | null | string> {
  const found = registry.lookup(structType);
  const encoded = encodePayload(JSON.stringify(json), 'cstruct', { structs: registry, structType });
  if (!found.ok || !encoded.ok) return { error: found.ok ? (encoded.ok ? '' : encoded.error) : found.error, valuesPerSec: null, codecPerSec: null };
  const bytes = encoded.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = JSON.stringify(json);
  const context = { structs: registry, structType };
  // Every result is kept (in a ring) so the compiler cannot drop a read whose value nobody uses.
  const kept: unknown[] = new Array(64);
  let n = 0;
  const valuesPerSec = rate(() => {
    kept[n++ & 63] = found.struct.read(view, 0, bytes.length);
  });
  const codecPerSec = rate(() => {
    kept[n++ & 63] = decodePayload(bytes, 'cstruct', context);
  });
  const jsonParsePerSec = rate(() => {
    kept[n++ & 63] = JSON.parse(text);
  });
  if (kept.some((value) => value === undefined)) throw new Error('nothing decoded');
  return { bytes: bytes.length, valuesPerSec, codecPerSec, jsonParsePerSec, valuesVsJsonParse: round(valuesPerSec / jsonParsePerSec, 2) };
}

const small = measure('frame64_t', {
  seq: 1,
  uptime_ms: 123456789,
  battery: { mv: 3700, temp_c: -5, percent: 80 },
  name: 'node-7',
  temps: [1, 2, 3, 4],
  humidity: 40.5,
  pressure: 1013.25,
  online: true,
  mode: 1,
  charging: 1,
  level: 3,
  trend: 5,
  offset: -7,
  crc: 0xdeadbeef,
});
const blocks = Array.from({ length: 60 }, (_, i) => ({ t_ms: i * 1000, adc: [i, -i, 2 * i, -2 * i, 3, -3, 4, -4], status: i % 7, gain: 0.5 + i / 100 }));
const big = measure('logger_frame_t', { magic: 0xfeedbeef, version: 2, count: 60, device: 'logger-1', crc: Array.from({ length: 16 }, (_, i) => i), blocks });
console.log(`64-byte struct: ${JSON.stringify(small)}`);
console.log(`4 KB struct:    ${JSON.stringify(big)}`);
console.log(JSON.stringify({ bench: 'cstruct', struct64: small, struct4k: big }));
