/**
 * Benchmark of the message history: 1,000,000 appends (64-byte JSON-like payloads over 10,000 topics) with
 * the default limits (10,000 messages / 64 MB), heap after (with --expose-gc: after a full GC), a topic-filter
 * and a text query over 100,000 entries (first query = full scan, then an incremental re-query after 1,000
 * appends), and serialize/deserialize of 10,000 entries. Ends with one JSON line.
 *
 * Run: node --expose-gc out/test/bench/history.bench.js
 * No assertions on timing: figures depend on the machine.
 */
import { performance } from 'node:perf_hooks';
import { canCollect, collect, mb, median, round } from './measure';
import type { MqttMessage } from '../../src/shared/mqttMessage';
import { ENTRY_OVERHEAD_BYTES, MessageHistory } from '../../src/core/history';

const MESSAGES = 1_000_000;
const TOPICS = 10_000;
const PAYLOAD_BYTES = 64;
const BATCH = 100_000;


/** Topic i of 10,000, built afresh (a topic decoded from the wire is a new string). */
function topicOf(i: number): string {
  const text = `site/area${Math.floor(i / 1000)}/device${Math.floor(i / 10) % 100}/sensor${i % 10}`;
  return Buffer.from(text, 'latin1').toString('utf8');
}

const encoder = new TextEncoder();
let seq = 0;
/** Messages `from..from+count`: a fresh 64-byte ASCII JSON payload each; every 50th outgoing. */
function makeBatch(from: number, count: number): MqttMessage[] {
  const out = new Array<MqttMessage>(count);
  const now = Date.now();
  for (let k = 0; k < count; k++) {
    const i = from + k;
    const payload = new Uint8Array(PAYLOAD_BYTES).fill(0x20);
    encoder.encodeInto(`{"i":${i},"t":${(i % 400) / 10},"s":"${i % 97 === 0 ? 'ALARM' : 'ok'}"}`, payload);
    out[k] = { topic: topicOf(i % TOPICS), payload, qos: 0, retain: false, dup: false, receivedAt: now + (i >> 10), seq: seq++, direction: i % 50 === 0 ? 'out' : 'in' };
  }
  return out;
}

/** Appends `total` messages in batches; returns seconds spent inside `append`. */
function feed(history: MessageHistory, total: number): number {
  let seconds = 0;
  for (let from = 0; from < total; from += BATCH) {
    const batch = makeBatch(from, Math.min(BATCH, total - from));
    const t0 = performance.now();
    for (let k = 0; k < batch.length; k++) history.append(batch[k]);
    seconds += (performance.now() - t0) / 1000;
  }
  return seconds;
}

/** Warm-up, then 3 timed runs of 1M appends with default limits; appends/s of each. */
function appendRuns(): number[] {
  feed(new MessageHistory(), MESSAGES);
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const h = new MessageHistory();
    collect();
    rates.push(Math.round(MESSAGES / feed(h, MESSAGES)));
  }
  return rates;
}

/** Heap of a full default history after 1M appends (10,000 kept). */
function heapFigures(): Record<string, number> {
  collect();
  const before = process.memoryUsage();
  const h = new MessageHistory();
  feed(h, MESSAGES);
  collect();
  const after = process.memoryUsage();
  const bytes = after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers;
  return {
    kept: h.size,
    dropped: h.droppedCount,
    heapUsedMb: mb(after.heapUsed),
    historyMb: round(bytes / (1024 * 1024), 2),
    accountedMb: round(h.byteSize / (1024 * 1024), 2),
    measuredBytesPerEntry: Math.round(bytes / h.size),
    accountedBytesPerEntry: Math.round(h.byteSize / h.size),
  };
}

const time = (f: () => number): [number, number] => {
  const t0 = performance.now();
  const result = f();
  return [performance.now() - t0, result];
};

/** Queries over a 100,000-entry history: first (full scan), then after 1,000 more appends (incremental). */
function queryFigures(): Record<string, number> {
  const h = new MessageHistory({ maxMessages: 100_000 });
  feed(h, 100_000);
  const results: Record<string, number> = {};
  const cases: [string, Parameters<MessageHistory['query']>[0]][] = [
    ['topic', { topicFilter: 'site/+/device7/#' }],
    ['text', { text: 'alarm' }],
    ['regex', { regex: '"t":3\\d\\.5' }],
    ['direction', { direction: 'out' }],
  ];
  let warm = 0;
  for (const [, filter] of cases) warm += h.query(filter).count; // warm-up: the predicate code gets compiled
  for (const [name, filter] of cases) {
    const view = h.query(filter);
    const [ms, count] = time(() => view.count);
    results[`${name}QueryMs`] = round(ms, 2);
    results[`${name}Matches`] = count;
  }
  const views = cases.map(([, filter]) => h.query(filter));
  for (const v of views) warm += v.count;
  feed(h, 1000);
  const [ms] = time(() => views.reduce((s, v) => s + v.count, 0));
  results.requery4ViewsAfter1000AppendsMs = round(ms, 3);
  const view = views[0];
  const [rangeMs] = time(() => view.range(Math.floor(view.count / 2), 50).length);
  results.range50Ms = round(rangeMs, 3);
  results.warmUpMatches = warm;
  return results;
}

/** serialize/deserialize of the 10,000 newest of the default history. */
function serializeFigures(): Record<string, number> {
  const h = new MessageHistory();
  feed(h, 20_000);
  serializeOnce(h); // warm-up
  const [ms, size] = time(() => serializeOnce(h));
  const bytes = h.serialize({ maxBytes: 64 * 1024 * 1024 });
  const [restoreMs, restored] = time(() => MessageHistory.deserialize(bytes).restored);
  return { serializeEntries: h.size, serializeBytes: size, serializeMs: round(ms, 2), deserializeMs: round(restoreMs, 2), restored };
}
function serializeOnce(h: MessageHistory): number {
  return h.serialize({ maxBytes: 64 * 1024 * 1024 }).byteLength;
}

const rates = appendRuns();
const heap = heapFigures();
const queries = queryFigures();
const snapshot = serializeFigures();
const figures = {
  messages: MESSAGES,
  appendsPerSecond: median(rates),
  runs: rates,
  entryOverheadBytes: ENTRY_OVERHEAD_BYTES,
  ...heap,
  ...queries,
  ...snapshot,
  gc: canCollect,
  node: process.version,
};
const m = (n: number): string => (n / 1e6).toFixed(2);
console.log(`appends: ${rates.map(m).join(', ')} M/s -> median ${m(figures.appendsPerSecond)} M/s (1M messages, default limits)`);
console.log(`heap used ${heap.heapUsedMb} MB; history of ${heap.kept} entries ${heap.historyMb} MB measured vs ${heap.accountedMb} MB accounted (${heap.measuredBytesPerEntry} vs ${heap.accountedBytesPerEntry} B/entry)${!canCollect ? ' [no --expose-gc: figures include garbage]' : ''}`);
console.log(`queries over 100k: topic ${queries.topicQueryMs} ms (${queries.topicMatches}), text ${queries.textQueryMs} ms (${queries.textMatches}), regex ${queries.regexQueryMs} ms (${queries.regexMatches}), direction ${queries.directionQueryMs} ms; 4 views after 1,000 appends ${queries.requery4ViewsAfter1000AppendsMs} ms`);
console.log(`snapshot of ${snapshot.serializeEntries} entries: ${snapshot.serializeBytes} bytes in ${snapshot.serializeMs} ms, restored in ${snapshot.deserializeMs} ms`);
console.log(JSON.stringify(figures));
