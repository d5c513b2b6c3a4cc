/**
 * Benchmark of record and replay. (1) The host's receive pipeline (TopicTree.add + MessageHistory.append) over
 * 1,000,000 messages, alone and with a recording (filter match + CaptureWriter to a real file), and the recording
 * alone: msgs/s, MB/s to disk, the ratios (with/alone, recording alone/pipeline), and heap growth while recording. (2) Opening that 1M-message capture (line index) and reading
 * 50 rows from its middle, against reading the file's bytes once. (3) Replay drift p50/p99 at 1,000 msg/s for 30 s
 * into a real mosquitto, against a chain of sleeps at the same rate. Ends with one JSON line; asserts nothing.
 *
 * Run: node --expose-gc out/test/bench/capture.bench.js   (CAPTURE_BENCH_REPLAY_SECONDS=30 by default)
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CaptureFile } from '../../src/core/capture/reader';
import { DriftHistogram } from '../../src/core/capture/drift';
import { MONOTONIC_CLOCK, ReplayScheduler } from '../../src/core/capture/scheduler';
import { CaptureWriter, fileSink } from '../../src/core/capture/writer';
import { MessageHistory } from '../../src/core/history';
import { TopicTree } from '../../src/core/topicTree';
import { topicMatchesFilter } from '../../src/core/topics';
import type { MqttMessage } from '../../src/shared/mqttMessage';
import { startMosquitto } from '../helpers/broker';
import { closeSessions, makeSession } from '../helpers/sessions';
import { canCollect, collect, mb, round } from './measure';

const MESSAGES = 1_000_000;
const TOPICS = 10_000;
const REPLAY_RATE = 1000;
const REPLAY_SECONDS = Number(process.env.CAPTURE_BENCH_REPLAY_SECONDS ?? 30);
const REFERENCE_SECONDS = Math.min(10, REPLAY_SECONDS);

const encoder = new TextEncoder();
function message(i: number): MqttMessage {
  const topic = `site/area${Math.floor((i % TOPICS) / 1000)}/device${Math.floor((i % TOPICS) / 10) % 100}/sensor${i % 10}`;
  const payload = encoder.encode(`{"seq":${i},"value":${(i % 1000) / 10},"unit":"C","ok":true,"pad":"xxxx"}`);
  return { topic, payload, qos: 1, retain: false, dup: false, direction: 'in', receivedAt: Date.now(), seq: i, properties: i % 10 === 0 ? { userProperties: [['fw', '1.4.2']] } : undefined };
}

const tree = new TopicTree();
const history = new MessageHistory();

/** The host's receive path for messages `from..from+count`, with an optional extra listener; returns the ms taken. */
async function pipeline(from: number, count: number, record?: (m: MqttMessage, i: number) => void): Promise<number> {
  const started = performance.now();
  for (let i = from; i < from + count; i++) {
    const m = message(i);
    tree.add(m);
    history.append(m);
    record?.(m, i);
    // Let the writer's disk I/O run as it would between socket reads.
    if (i % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return performance.now() - started;
}

/**
 * The machine may be shared and its load changes by the second: the pipeline runs alone and with the recording in
 * alternating rounds, and the ratio compares their sums. One writer records all 1,000,000 messages.
 */
async function recordFigures(dir: string): Promise<{ path: string; figures: Record<string, number | null> }> {
  await pipeline(0, 50_000); // warm up
  const rounds = 5;
  const perRound = MESSAGES / rounds;
  const path = join(dir, 'bench.mqttcap');
  const writer = new CaptureWriter(await fileSink(path), { connection: 'bench', broker: '127.0.0.1:1883', protocolVersion: '5', filters: ['site/#'], startedAt: new Date().toISOString(), extension: 'bench' });
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  let aloneMs = 0;
  let recordingMs = 0;
  let recordOnlyMs = 0;
  const onlyWriter = new CaptureWriter(await fileSink(join(dir, 'only.mqttcap')), { connection: 'bench', broker: '', protocolVersion: '5', filters: ['site/#'], startedAt: '', extension: 'bench' });
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    aloneMs += await pipeline(round * perRound, perRound);
    recordingMs += await pipeline(round * perRound, perRound, (m, i) => {
      if (topicMatchesFilter('site/#', m.topic)) writer.add(m, i * 1000);
      if (i % 100_000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    });
    // The recording alone (filter + writer, no tree or history): can it keep up with what the pipeline receives?
    const onlyStarted = performance.now();
    for (let i = round * perRound; i < (round + 1) * perRound; i++) {
      const m = message(i);
      if (topicMatchesFilter('site/#', m.topic)) onlyWriter.add(m, i * 1000);
      if (i % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    recordOnlyMs += performance.now() - onlyStarted;
  }
  await onlyWriter.close();
  collect();
  const heapAfter = process.memoryUsage().heapUsed;
  await writer.close();
  const recordingSeconds = (recordingMs + (performance.now() - started - aloneMs - recordingMs)) / 1000;
  const size = (await stat(path)).size;
  const figures = {
    pipelineMsgsPerSec: Math.round(MESSAGES / (aloneMs / 1000)),
    pipelineWithRecordingMsgsPerSec: Math.round(MESSAGES / (recordingMs / 1000)),
    recordingRatio: round(aloneMs / recordingMs, 2),
    recordOnlyMsgsPerSec: Math.round(MESSAGES / (recordOnlyMs / 1000)),
    recordKeepsUpRatio: round(aloneMs / recordOnlyMs, 2),
    recordMBPerSecToDisk: round(size / (1024 * 1024) / recordingSeconds, 1),
    recordedMessages: writer.messages,
    captureMB: mb(size),
    droppedWhileRecording: writer.dropped,
    heapGrowthMB: canCollect ? mb(heapAfter - heapBefore) : null,
    heapPeakGrowthMB: mb(heapPeak - heapBefore),
    loadAverage1m: round(loadavg()[0], 1),
  };
  return { path, figures };
}

async function openFigures(path: string): Promise<Record<string, number>> {
  const readStarted = performance.now();
  await readFile(path);
  const readWholeMs = performance.now() - readStarted;
  const started = performance.now();
  const file = await CaptureFile.open(path);
  const openMs = performance.now() - started;
  const middleStarted = performance.now();
  const rows = await file.read(Math.floor(file.count / 2), 50);
  const middleMs = performance.now() - middleStarted;
  await file.close();
  return { openMs: round(openMs, 1), readWholeFileMs: round(readWholeMs, 1), openToReadRatio: round(openMs / readWholeMs, 2), jumpToMiddleMs: round(middleMs, 2), middleRows: rows.length, lines: file.count };
}

async function replayFigures(): Promise<Record<string, number | null | string>> {
  let broker;
  try {
    broker = await startMosquitto();
  } catch (error) {
    return { replayDriftP50Ms: null, replayDriftP99Ms: null, replayNote: `mosquitto could not start: ${(error as Error).message}` };
  }
  try {
    const session = makeSession({ port: broker.port, protocolVersion: '5' });
    await session.connect();
    const count = REPLAY_RATE * REPLAY_SECONDS;
    async function* items() {
      for (let i = 0; i < count; i++) yield { t: (i * 1e6) / REPLAY_RATE, m: message(i) };
    }
    const scheduler = new ReplayScheduler(MONOTONIC_CLOCK, { speed: 1, maxOutstanding: 32 });
    const summary = await scheduler.run(items, (item) => session.publish(item.m.topic, item.m.payload, { qos: 0, properties: item.m.properties }));
    // The reference: the same rate by chained sleeps (each waits the spacing after the previous send).
    const chained = new DriftHistogram();
    const start = performance.now();
    for (let i = 0; i < REPLAY_RATE * REFERENCE_SECONDS; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000 / REPLAY_RATE));
      chained.add(performance.now() - (start + ((i + 1) * 1000) / REPLAY_RATE));
      await session.publish('ref/x', 'x', { qos: 0 });
    }
    return {
      replayed: summary.sent,
      replayFailed: summary.failed,
      replaySeconds: round(summary.elapsedMs / 1000, 1),
      replayDriftP50Ms: summary.driftP50Ms,
      replayDriftP99Ms: summary.driftP99Ms,
      chainedSleepDriftP99MsAfter10s: chained.quantile(0.99),
    };
  } finally {
    closeSessions();
    await broker.stop();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wb-capture-bench-'));
  try {
    const record = await recordFigures(dir);
    console.log('record', JSON.stringify(record.figures));
    const open = await openFigures(record.path);
    console.log('open', JSON.stringify(open));
    const replay = await replayFigures();
    console.log('replay', JSON.stringify(replay));
    console.log(JSON.stringify({ ...record.figures, ...open, ...replay }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
