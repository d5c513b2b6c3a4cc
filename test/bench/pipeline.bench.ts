/**
 * Benchmark of the whole receive path against a local mosquitto: a backlog of 100,000 QoS 1 messages (64-byte
 * payloads over 1,000 topics) queued for an offline persistent session, drained (a) by a bare MQTT.js client
 * that only counts, (b) by the extension's host pipeline (see hostPipeline.ts) and (c) by mosquitto_sub (C) to
 * /dev/null, alternating, several rounds, median of each; then (a) and (b) again while another process spins on
 * one core. Then the heap (after a full GC) holding a tree of 100,000 distinct topics and the history, and the
 * tree refreshes and webview posts per second during the pipeline drains (full rate).
 * The last line is one JSON object:
 * {"rawMsgsPerSec","pipelineMsgsPerSec","ratio","ratioBusy","cMsgsPerSec","ratioToC","cpuRatio",
 *  "heapMB100kTopics","treeRefreshesPerSec","webviewPostsPerSec"}
 * `ratio` = pipeline / bare MQTT.js (wall clock, quiet), `ratioBusy` the same with one core busy, `ratioToC` =
 * pipeline / mosquitto_sub, `cpuRatio` = CPU time of a bare drain / CPU time of a pipeline drain (this process
 * only: the broker's share of a shared machine does not enter it). A figure that could not be measured is null,
 * with a "why".
 *
 * Run: `npm run bench -- pipeline`, or
 * `node --expose-gc out/test/bench/pipeline.bench.js` after `node scripts/build.mjs --tests` (starts its own broker).
 * No assertions on timing: figures depend on the machine.
 */
import { startMosquitto } from '../helpers/broker';
import { busyCore, drainWithMosquittoSub } from './anchors';
import { drainRaw, prepareSession, publishBacklog, type BacklogSpec } from './backlog';
import { drainPipeline, type PipelineCounts } from './hostPipeline';
import { canCollect, collect, mb, median, round } from './measure';

const MESSAGES = 100_000;
const TOPICS = 1_000;
const PAYLOAD_BYTES = 64;
const ROUNDS = Number(process.env.MQTT_BENCH_ROUNDS ?? 3);
/** mosquitto settings the backlog needs: room for 100,000 queued messages, and no in-flight window (20 by default)
 * so that a drain runs as fast as the client takes the messages rather than at the pace of its PUBACKs. */
export const BENCH_BROKER_CONFIG = ['max_queued_messages 200000', 'max_inflight_messages 0'];

const rate = (ms: number): number => Math.round(MESSAGES / (ms / 1000));
const format = (ms: number): string => `${rate(ms).toLocaleString('en-US')} msg/s`;
const spec = (url: string, clientId: string, topic: (i: number) => string): BacklogSpec => ({ url, clientId, messages: MESSAGES, topic, payloadBytes: PAYLOAD_BYTES });
const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

async function main(): Promise<void> {
  const ownBroker = process.env.MQTT_BENCH_PORT === undefined ? await startMosquitto({ extraConfig: BENCH_BROKER_CONFIG }) : undefined;
  const port = ownBroker?.port ?? Number(process.env.MQTT_BENCH_PORT);
  const url = `mqtt://127.0.0.1:${port}`;
  const topicOf = (i: number): string => `bench/site${Math.floor((i % TOPICS) / 100)}/device${i % TOPICS}`;
  /** Queues a fresh backlog for a new persistent session named `clientId`. */
  const backlog = async (clientId: string): Promise<BacklogSpec> => {
    const queued = spec(url, clientId, topicOf);
    await prepareSession(url, clientId);
    await publishBacklog(queued);
    collect();
    return queued;
  };
  /** One bare drain and one pipeline drain: wall ms and this process's CPU ms of each. */
  const pair = async (name: string): Promise<{ raw: number; rawCpu: number; pipeline: PipelineCounts; pipelineCpu: number }> => {
    const rawSpec = await backlog(`bench-raw-${name}`);
    let cpu = process.cpuUsage();
    const raw = await drainRaw(rawSpec);
    const rawCpu = cpuMs(process.cpuUsage(cpu));
    const hostSpec = await backlog(`bench-host-${name}`);
    cpu = process.cpuUsage();
    const pipeline = (await drainPipeline(port, hostSpec.clientId, MESSAGES)).counts; // the tree and history go
    return { raw, rawCpu, pipeline, pipelineCpu: cpuMs(process.cpuUsage(cpu)) };
  };
  try {
    const raw: number[] = [];
    const pipeline: PipelineCounts[] = [];
    const cpuRatios: number[] = [];
    const c: number[] = [];
    let cWhy: string | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const quiet = await pair(String(round));
      raw.push(quiet.raw);
      pipeline.push(quiet.pipeline);
      cpuRatios.push(quiet.rawCpu / quiet.pipelineCpu);
      const cDrain = await drainWithMosquittoSub(await backlog(`bench-c-${round}`), port);
      if (cDrain.ms === null) cWhy = cDrain.why;
      else c.push(cDrain.ms);
      console.log(`round ${round + 1}: raw ${format(quiet.raw)} (${Math.round(quiet.rawCpu)} ms CPU), pipeline ${format(quiet.pipeline.ms)} (${Math.round(quiet.pipelineCpu)} ms CPU), mosquitto_sub ${cDrain.ms === null ? `not measured: ${cDrain.why}` : format(cDrain.ms)}`);
    }
    const busyRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const spinner = busyCore();
      try {
        const busy = await pair(`busy-${round}`);
        busyRatios.push(busy.raw / busy.pipeline.ms);
        console.log(`round ${round + 1} with one core busy: raw ${format(busy.raw)}, pipeline ${format(busy.pipeline.ms)}`);
      } finally {
        await spinner.stop();
      }
    }

    // Heap with a tree of 100,000 distinct topics (their last messages) and the history (10,000 by default).
    const distinct = spec(url, 'bench-heap', (i) => `bench/site${Math.floor(i / 1000)}/device${i % 1000}`);
    await prepareSession(url, distinct.clientId);
    await publishBacklog(distinct);
    collect();
    const { tree, history } = await drainPipeline(port, distinct.clientId, MESSAGES);
    collect();
    const memory = process.memoryUsage();
    const heapMB = mb(memory.heapUsed + memory.arrayBuffers);

    const seconds = pipeline.reduce((sum, r) => sum + r.ms, 0) / 1000;
    const sum = (key: 'refreshes' | 'statusPosts' | 'rowReplies' | 'rowRepliesWithoutTail'): number => pipeline.reduce((total, r) => total + r[key], 0);
    const rawMsgsPerSec = rate(median(raw));
    const pipelineMsgsPerSec = rate(median(pipeline.map((r) => r.ms)));
    const cMsgsPerSec = c.length > 0 ? rate(median(c)) : null;
    const figures = {
      rawMsgsPerSec,
      pipelineMsgsPerSec,
      ratio: round(pipelineMsgsPerSec / rawMsgsPerSec, 2),
      ratioBusy: round(median(busyRatios), 2),
      cMsgsPerSec,
      ratioToC: cMsgsPerSec === null ? null : round(pipelineMsgsPerSec / cMsgsPerSec, 2),
      ...(cMsgsPerSec === null ? { why: cWhy } : {}),
      cpuRatio: round(median(cpuRatios), 2),
      heapMB100kTopics: heapMB,
      treeRefreshesPerSec: round(sum('refreshes') / seconds, 1),
      webviewPostsPerSec: round((sum('statusPosts') + sum('rowReplies')) / seconds, 1),
    };
    const withoutTail = round((sum('statusPosts') + sum('rowRepliesWithoutTail')) / seconds, 1);
    console.log(`heap ${heapMB} MB (heap used + array buffers after a full GC${canCollect ? '' : ', NO --expose-gc: includes garbage'}) with ${tree.size.toLocaleString('en-US')} topics and ${history.size.toLocaleString('en-US')} messages in the history`);
    console.log(`over ${round(seconds, 2)} s of pipeline drains: ${figures.treeRefreshesPerSec} tree refreshes/s, ${figures.webviewPostsPerSec} webview posts/s (statuses carry the rows of a following list; a webview that asks for them instead: ${withoutTail} posts/s)`);
    console.log(JSON.stringify(figures));
  } finally {
    await ownBroker?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
