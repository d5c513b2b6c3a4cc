// The extension-host half of `npm run bench -- vscode-load` (runner: test/bench/vscodeLoad.bench.mjs). VS Code loads
// this module as the extensions tests module and calls run() inside the real extension host, beside the extension:
// so the event-loop lag (perf_hooks.monitorEventLoopDelay), CPU time and RSS measured here are the extension host's
// own. It starts mosquitto (default limits: it drops QoS 1 messages for a client that falls 1,000 behind), connects
// the extension, opens the message panel, and for each rate lets a flood process (flood.ts) publish for N seconds.
// Each step is logged as `vscode-load: <JSON>` for the runner, which drives the UI meanwhile.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
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
  const broker = await startMosquitto();
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
      const lag = monitorEventLoopDelay({ resolution: 5 });
      let maxRss = process.memoryUsage().rss;
      const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 500);
      const cpu = process.cpuUsage();
      const started = performance.now();
      lag.enable();
      say({ phase: 'flood', rate, seconds: SECONDS });
      const sent = await flood(broker.port, rate);
      const deadline = performance.now() + SETTLE_MS;
      while (received - before < sent.acked && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const wallMs = performance.now() - started;
      lag.disable();
      clearInterval(rssTimer);
      const used = process.cpuUsage(cpu);
      const cpuPercent = Math.round(((used.user + used.system) / 1000 / wallMs) * 1000) / 10;
      const step = {
        rate,
        publishedPerSec: Math.round(sent.published / SECONDS),
        /** Publishes the broker acknowledged to the flood (all of them unless the broker fell behind it). */
        brokerAccepted: sent.acked,
        received: received - before,
        /** Accepted by the broker, never delivered to the extension (mosquitto drops QoS 1 beyond its queue of 1,000);
         * unknown when the broker had not acknowledged every publish a minute after the flood. */
        dropped: sent.acked === sent.published ? sent.acked - (received - before) : null,
        ...(sent.acked === sent.published ? {} : { droppedWhy: `the broker acknowledged ${sent.acked} of ${sent.published} publishes within a minute of the flood` }),
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
    say({ phase: 'done', steps: results });
  } finally {
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await broker.stop();
  }
}
