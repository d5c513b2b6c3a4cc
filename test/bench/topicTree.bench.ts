/**
 * Benchmark of the Topics view model: 1,000,000 messages over 100,000 topics (`site/<a>/<b>/<c>`,
 * 64-byte payloads, every 10th topic retained). Prints inserts/s (median of 3 timed runs after a warm-up),
 * heap after (with --expose-gc: after a full GC), and the cost of takeDirty and filtering. Ends with one
 * JSON line. Each phase runs in its own function so no tree outlives it in a register of this module.
 *
 * Run: node --expose-gc out/test/bench/topicTree.bench.js
 * No assertions on timing: figures depend on the machine.
 */
import { performance } from 'node:perf_hooks';
import { canCollect, collect, mb, median, round } from './measure';
import type { MqttMessage } from '../../src/shared/mqttMessage';
import { TopicTree } from '../../src/core/topicTree';

const MESSAGES = 1_000_000;
const TOPICS = 100_000;
const PAYLOAD_BYTES = 64;
const BATCH = 100_000;



/**
 * Topic i of 100,000: 10 x 100 x 100 levels below `site`. Built afresh for every message, as a topic
 * decoded from the wire is a new string whose hash is not cached yet.
 */
function topicOf(i: number): string {
  const text = `site/area${Math.floor(i / 10_000)}/device${Math.floor(i / 100) % 100}/sensor${i % 100}`;
  return Buffer.from(text, 'latin1').toString('utf8');
}

let seq = 0;
/** Messages `from..from+count` of the run: topic i % TOPICS, a fresh 64-byte payload each, 10% retained. */
function makeBatch(from: number, count: number, topicFor: (i: number) => string = topicOf): MqttMessage[] {
  const out = new Array<MqttMessage>(count);
  const now = Date.now();
  for (let k = 0; k < count; k++) {
    const i = from + k;
    const payload = new Uint8Array(PAYLOAD_BYTES);
    payload[0] = i & 0xff;
    const t = i % TOPICS;
    const topic = topicFor(t);
    out[k] = { topic, payload, qos: 0, retain: t % 10 === 0, dup: false, receivedAt: now + (i >> 10), seq: seq++, direction: 'in' };
  }
  return out;
}

/** Feeds one tree all messages, taking the dirty set every `flushEvery` messages; returns seconds inside the tree. */
function run(tree: TopicTree, flushEvery = 0): number {
  let seconds = 0;
  for (let from = 0; from < MESSAGES; from += BATCH) {
    const batch = makeBatch(from, BATCH);
    const t0 = performance.now();
    for (let k = 0; k < batch.length; k++) {
      tree.add(batch[k]);
      if (flushEvery > 0 && k % flushEvery === 0) tree.takeDirty();
    }
    seconds += (performance.now() - t0) / 1000;
  }
  return seconds;
}

/** Warm-up (JIT), then 3 timed runs on fresh trees; inserts/s of each. */
function timedRuns(flushEvery: number): number[] {
  run(new TopicTree(), flushEvery);
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const tree = new TopicTree();
    collect();
    const seconds = run(tree, flushEvery);
    rates.push(Math.round(MESSAGES / seconds));
  }
  return rates;
}

/** takeDirty after a full run (every node dirty) and after 1,000 messages on one topic; filtering a full tree. */
function dirtyAndFilter(): Record<string, number> {
  const tree = new TopicTree();
  run(tree);
  let t0 = performance.now();
  const all = tree.takeDirty().size;
  const allMs = performance.now() - t0;
  for (const m of makeBatch(0, 1000, () => topicOf(42))) tree.add(m);
  t0 = performance.now();
  const few = tree.takeDirty().size;
  const fewMs = performance.now() - t0;
  /** A filter asked whether the root and each level-2 node should be shown, as a view would. */
  const filter = (text: string, matcher = tree.matching(text)): [number, number] => {
    const start = performance.now();
    let shown = 0;
    if (matcher.matches(tree.root)) {
      for (const site of tree.roots()) for (const area of tree.children(site)) if (matcher.matches(area)) shown++;
    }
    return [performance.now() - start, shown];
  };
  const mqtt = tree.matching('site/+/device7/#');
  const [mqttMs, mqttShown] = filter('', mqtt);
  tree.add(makeBatch(0, 1, () => 'site/new/topic')[0]); // a new topic: the kept filter marks again
  const [rescanMs] = filter('', mqtt);
  const [textMs, textShown] = filter('SENSOR99');
  const none = tree.matching('no such topic');
  const [noneMs] = filter('', none); // nothing matches: a full walk of the tree
  const [againMs] = filter('', none); // the next refresh with the same filter and no new topic: memoised
  return {
    takeDirtyAllNodes: all,
    takeDirtyAllMs: round(allMs, 2),
    takeDirtyAfter1000OnOneTopic: few,
    takeDirtyFewMs: round(fewMs, 3),
    filterMqttMs: round(mqttMs, 2),
    filterMqttAreasShown: mqttShown,
    filterMqttAfterNewTopicMs: round(rescanMs, 2),
    filterTextMs: round(textMs, 2),
    filterTextAreasShown: textShown,
    filterNoMatchFullWalkMs: round(noneMs, 2),
    filterNoMatchAgainMs: round(againMs, 2),
  };
}

/**
 * Heap of a tree fed the whole run (100,000 topics with their last messages, dirty set taken as the view
 * would), then of the same last messages alone (with the tree's topic strings), to tell the trie's share.
 */
function heapFigures(): Record<string, number> {
  collect();
  const before = process.memoryUsage();
  const tree = new TopicTree();
  run(tree);
  tree.takeDirty();
  collect();
  const after = process.memoryUsage();
  const lastMessages = makeBatch(MESSAGES - TOPICS, TOPICS, (t) => tree.find(topicOf(t))?.topic ?? '');
  collect();
  const afterMessages = process.memoryUsage();
  const treeBytes = after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers;
  const messageBytes = afterMessages.heapUsed - after.heapUsed + afterMessages.arrayBuffers - after.arrayBuffers;
  return {
    topics: tree.size + lastMessages.length - TOPICS,
    heapUsedMb: mb(after.heapUsed),
    treeMb: mb(treeBytes),
    treeLastMessagesMb: mb(messageBytes),
    trieMb: mb(treeBytes - messageBytes),
    trieBytesPerTopic: Math.round((treeBytes - messageBytes) / tree.size),
  };
}

const rates = timedRuns(0);
const ratesFlushing = timedRuns(10_000);
const dirty = dirtyAndFilter();
const heap = heapFigures();
const figures = {
  messages: MESSAGES,
  insertsPerSecond: median(rates),
  runs: rates,
  insertsPerSecondTakingDirtyEvery10k: median(ratesFlushing),
  ...heap,
  ...dirty,
  gc: canCollect,
  node: process.version,
};
const m = (n: number): string => (n / 1e6).toFixed(2);
console.log(`inserts: ${rates.map(m).join(', ')} M/s -> median ${m(figures.insertsPerSecond)} M/s (${m(figures.insertsPerSecondTakingDirtyEvery10k)} M/s taking the dirty set every 10,000)`);
console.log(`heap used ${heap.heapUsedMb} MB with ${heap.topics} topics: the tree ${heap.treeMb} MB = last messages ${heap.treeLastMessagesMb} MB + trie ${heap.trieMb} MB (${heap.trieBytesPerTopic} B/topic)${!canCollect ? ' [no --expose-gc: figures include garbage]' : ''}`);
console.log(`takeDirty: ${dirty.takeDirtyAllNodes} nodes in ${dirty.takeDirtyAllMs} ms; ${dirty.takeDirtyAfter1000OnOneTopic} nodes after 1,000 messages on one topic in ${dirty.takeDirtyFewMs} ms`);
console.log(`filter (root + 10 areas): MQTT ${dirty.filterMqttMs} ms (${dirty.filterMqttAfterNewTopicMs} ms after a new topic), text ${dirty.filterTextMs} ms, text matching nothing ${dirty.filterNoMatchFullWalkMs} ms, then ${dirty.filterNoMatchAgainMs} ms memoised`);
console.log(JSON.stringify(figures));
