// The extension-host half of `npm run bench -- vscode-load` (runner: test/bench/vscodeLoad.bench.mjs). VS Code loads
// this module as the extensions tests module and calls run() inside the real extension host, beside the extension:
// so the event-loop lag (perf_hooks.monitorEventLoopDelay), CPU time and RSS measured here are the extension host's
// own. It starts mosquitto (default limits: it drops QoS 1 messages for a client that falls 1,000 behind), connects
// the extension, opens the message panel, and for each rate lets a flood process (flood.ts) publish for N seconds.
// Each step is logged as `vscode-load: <JSON>` for the runner, which drives the UI meanwhile. Last, the top rate
// again with mosquitto_sub (C) as the subscriber instead of the extension: the reference for `dropped`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { connect } from 'mqtt';
import * as vscode from 'vscode';
import type { MqttWorkbenchApi } from '../../../src/host/api';
import { startMosquitto } from '../../helpers/broker';

const CONNECTION = 'Load broker';
/** 0 first: the machine's own lag and the UI's own speed with no flood, for comparison in the same run. */
const RATES = (process.env.MQTT_BENCH_LOAD_RATES ?? '0,1000,5000,20000').split(',').map(Number);
const SECONDS = Number(process.env.MQTT_BENCH_LOAD_SECONDS ?? 20);
/** How long the messages a flood published may take to arrive after it is done. */
const SETTLE_MS = 30_000;

const say = (event: object): void => console.log(`vscode-load: ${JSON.stringify(event)}`);
const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

/** mosquitto's count of QoS 1/2 messages it dropped (a subscriber's queue full), from $SYS (published every second). */
const DROPPED_TOPIC = '$SYS/broker/publish/messages/dropped';

/** The latest value of mosquitto's dropped counter, as seen by a client subscribed since the broker started. */
interface DroppedCounter {
  /** Undefined until the first value arrived. */
  current(): number | undefined;
  close(): void;
}

/**
 * Follows {@link DROPPED_TOPIC} from the start. mosquitto publishes a $SYS value only when it changes, retained
 * with a 60 s expiry: a client that subscribes later, after a minute without drops, would get no value at all.
 */
async function followBrokerDropped(port: number): Promise<DroppedCounter> {
  let value: number | undefined;
  const client = connect({ host: '127.0.0.1', port, clientId: `load-sys-${process.pid}`, reconnectPeriod: 1000 });
  client.on('connect', () => client.subscribe(DROPPED_TOPIC, { qos: 0 }));
  client.on('message', (_topic, payload) => (value = Number(payload.toString())));
  client.on('error', () => undefined);
  const deadline = performance.now() + 10_000;
  while (value === undefined && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return { current: () => value, close: () => client.end(true) };
}

/** The count the broker dropped between two readings, or null (with the reason) when the counter was not seen. */
function droppedBetween(before: number | undefined, after: number | undefined): { dropped: number | null; droppedWhy?: string } {
  if (before !== undefined && after !== undefined) return { dropped: after - before };
  return { dropped: null, droppedWhy: `mosquitto's ${DROPPED_TOPIC} was not received` };
}

/** Waits until `count()` reaches `expected`, or has not grown for 2 s (the rest was dropped), at most SETTLE_MS. */
async function settled(count: () => number, expected: number): Promise<void> {
  const deadline = performance.now() + SETTLE_MS;
  let last = count();
  let grewAt = performance.now();
  while (count() < expected && performance.now() < deadline && performance.now() - grewAt < 2000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (count() !== last) {
      last = count();
      grewAt = performance.now();
    }
  }
}

/**
 * The reference under the same flood: mosquitto_sub (C, libmosquitto) subscribed with QoS 1 in place of the
 * extension (which unsubscribes meanwhile), printing each message as one line: what it received and what the broker
 * dropped for it. Shows whether drops come from the subscriber or from the machine and the broker's window.
 */
async function referenceStep(port: number, rate: number, counter: DroppedCounter): Promise<Record<string, number | string | null>> {
  const droppedBefore = counter.current();
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', 'load/#', '-i', `load-reference-${process.pid}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  let lines = 0;
  sub.stdout.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 0x0a) lines++;
  });
  const spawned = await new Promise<boolean>((resolve) => {
    sub.once('error', () => resolve(false));
    setTimeout(() => resolve(sub.exitCode === null), 1000);
  });
  if (!spawned) return { rate, referenceReceived: null, referenceDropped: null, referenceWhy: 'mosquitto_sub could not be started' };
  const sent = await flood(port, rate);
  await settled(() => lines, sent.published);
  sub.kill();
  await new Promise((resolve) => setTimeout(resolve, 1500)); // one more $SYS interval
  const { dropped, droppedWhy } = droppedBetween(droppedBefore, counter.current());
  return { rate, published: sent.published, referenceReceived: lines, referenceDropped: dropped, ...(droppedWhy === undefined ? {} : { referenceWhy: droppedWhy }) };
}

/** Runs the flood process and resolves with what it printed (its last line: {"published","acked","seconds"}). */
function flood(port: number, rate: number): Promise<{ published: number; acked: number }> {
  if (rate === 0) return new Promise((resolve) => setTimeout(() => resolve({ published: 0, acked: 0 }), SECONDS * 1000));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'flood.js'), String(port), String(rate), String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        resolve(JSON.parse(output.trim().split('\n').pop() ?? '') as { published: number; acked: number });
      } catch {
        reject(new Error(`the flood process exited with ${String(code)} and printed: ${output.slice(-300)}`));
      }
    });
  });
}

/** Called by VS Code in the extension host. */
export async function run(): Promise<void> {
  const broker = await startMosquitto({ extraConfig: ['sys_interval 1'] });
  const dropCounter = await followBrokerDropped(broker.port);
  try {
    const added = await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name: CONNECTION, host: '127.0.0.1', port: broker.port, target: 'workspace' });
    if (added !== CONNECTION) throw new Error('The load connection could not be added.');
    const api = await vscode.extensions.getExtension<MqttWorkbenchApi>('mqtt-workbench.mqtt-workbench')?.activate();
    if (!api) throw new Error('The extension did not activate.');
    await api.connect(CONNECTION);
    await api.subscribe(CONNECTION, 'load/#', { qos: 1 });
    let received = 0;
    api.onMessage((event) => {
      if (event.message.topic.startsWith('load/')) received++;
    });
    // One message per site, so that the tree has the busy subtree to click even before the first flood.
    for (let site = 0; site < 10; site++) await api.publish(CONNECTION, `load/site${site}/device0`, 'seed', { qos: 1 });
    const seeded = performance.now() + SETTLE_MS;
    while (received < 10 && performance.now() < seeded) await new Promise((resolve) => setTimeout(resolve, 50));
    await vscode.commands.executeCommand('mqttWorkbench.openMessages', CONNECTION);
    await vscode.commands.executeCommand('workbench.view.extension.mqttWorkbench');
    say({ phase: 'ready' });
    const results = [];
    for (const rate of RATES) {
      const before = received;
      const droppedBefore = dropCounter.current();
      const lag = monitorEventLoopDelay({ resolution: 5 });
      let maxRss = process.memoryUsage().rss;
      const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 500);
      const cpu = process.cpuUsage();
      const started = performance.now();
      lag.enable();
      say({ phase: 'flood', rate, seconds: SECONDS });
      const sent = await flood(broker.port, rate);
      await settled(() => received - before, sent.published);
      const wallMs = performance.now() - started;
      lag.disable();
      clearInterval(rssTimer);
      const used = process.cpuUsage(cpu);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // one more $SYS interval
      const droppedAfter = dropCounter.current();
      const cpuPercent = Math.round(((used.user + used.system) / 1000 / wallMs) * 1000) / 10;
      const step = {
        rate,
        publishedPerSec: Math.round(sent.published / SECONDS),
        /** Publishes the broker acknowledged to the flood (all of them unless the broker fell behind it). */
        brokerAccepted: sent.acked,
        received: received - before,
        /** QoS 1 messages the broker dropped instead of delivering to the extension (its queue of 1,000 for a
         * subscriber that falls behind was full), from mosquitto's own $SYS counter. */
        ...droppedBetween(droppedBefore, droppedAfter),
        /** Published by the flood and not received by the extension within the settle time (dropped or late). */
        notReceived: sent.published - (received - before),
        hostCpuPercent: cpuPercent,
        hostCpuPercentPer1000MsgsPerSec: received === before ? null : Math.round((cpuPercent / ((received - before) / (wallMs / 1000) / 1000)) * 100) / 100,
        hostRssMB: Math.round(maxRss / 1048576),
        lagP50Ms: ms(lag.percentile(50)),
        lagP99Ms: ms(lag.percentile(99)),
        lagMaxMs: ms(lag.max),
      };
      results.push(step);
      say({ phase: 'step', ...step });
    }
    const top = Math.max(...RATES);
    let reference: Record<string, number | string | null> | undefined;
    if (top > 0) {
      await api.unsubscribe(CONNECTION, 'load/#');
      say({ phase: 'reference', rate: top, seconds: SECONDS });
      reference = await referenceStep(broker.port, top, dropCounter);
      say({ phase: 'step', reference });
    }
    say({ phase: 'done', steps: results, reference });
  } finally {
    dropCounter.close();
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await broker.stop();
  }
}
