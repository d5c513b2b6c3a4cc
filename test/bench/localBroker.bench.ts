/**
 * Benchmark of the local broker engines: time from start() to the first accepted client, median of 5 starts,
 * for the embedded aedes and for mosquitto (a child process); then the same with 1,000 retained messages saved,
 * until a new subscriber received all of them (the restore of persistence). Prints a table, then one JSON line:
 * {"embeddedStartMs","mosquittoStartMs","mosquittoVsEmbedded","embeddedRestore1kMs","mosquittoRestore1kMs"}.
 * A figure that cannot be measured (no mosquitto installed) is null, with the reason in "mosquittoNull".
 *
 * Run: node out/test/bench/localBroker.bench.js
 * No assertions on timing: figures depend on the machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectAsync } from 'mqtt';
import { LocalBroker } from '../../src/core/localBroker';
import type { LocalBrokerEngine } from '../../src/core/localBrokerEngine';
import { MosquittoBroker } from '../../src/core/mosquittoBroker';
import { findMosquittoOnPath, probeMosquitto } from '../../src/core/mosquittoProbe';
import { median, round } from './measure';

const STARTS = 5;
const RETAINED = 1_000;


/** start() until a client got its CONNACK, in ms. */
async function timeStart(engine: LocalBrokerEngine, dataDir?: string): Promise<{ ms: number; url: string }> {
  const begun = performance.now();
  const { url } = await engine.start({ port: 0, host: '127.0.0.1', dataDir });
  const client = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  const ms = performance.now() - begun;
  await client.endAsync(true);
  return { ms, url };
}

async function startTimes(make: () => LocalBrokerEngine): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const engine = make();
    times.push((await timeStart(engine)).ms);
    await engine.stop();
  }
  return median(times);
}

/** Saves 1,000 retained messages, stops, then times start() until a subscriber to # received all of them. */
async function restoreTime(make: () => LocalBrokerEngine, dataDir: string): Promise<number> {
  const first = make();
  const { url } = await timeStart(first, dataDir);
  const publisher = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  for (let i = 0; i < RETAINED; i++) await publisher.publishAsync(`bench/device/${i}`, `{"value":${i}}`, { qos: 1, retain: true });
  await publisher.endAsync();
  await first.stop();

  const second = make();
  const begun = performance.now();
  const again = await second.start({ port: 0, host: '127.0.0.1', dataDir });
  const subscriber = await connectAsync(again.url, { protocolVersion: 4, reconnectPeriod: 0 });
  let received = 0;
  const all = new Promise<void>((resolve) => subscriber.on('message', () => ++received === RETAINED && resolve()));
  await subscriber.subscribeAsync('bench/#', { qos: 0 });
  await all;
  const ms = performance.now() - begun;
  await subscriber.endAsync(true);
  await second.stop();
  return ms;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mqttwb-bench-broker-'));
  try {
    const embedded = (): LocalBrokerEngine => new LocalBroker();
    const embeddedStartMs = await startTimes(embedded);
    const embeddedRestore1kMs = await restoreTime(embedded, join(dir, 'embedded'));
    const path = findMosquittoOnPath();
    let mosquittoStartMs: number | null = null;
    let mosquittoRestore1kMs: number | null = null;
    let mosquittoNull: string | undefined;
    if (path === undefined) mosquittoNull = 'mosquitto is not installed (not on PATH nor in the usual folders)';
    else {
      const program = await probeMosquitto(path, 'mosquittoPath');
      const mosquitto = (): LocalBrokerEngine => new MosquittoBroker({ program, configFile: join(dir, 'mosquitto.conf') });
      mosquittoStartMs = await startTimes(mosquitto);
      mosquittoRestore1kMs = await restoreTime(mosquitto, join(dir, 'mosquitto'));
    }
    console.log(`engine     start (median of ${STARTS})   start + ${RETAINED} retained restored`);
    console.log(`embedded   ${round(embeddedStartMs, 1)} ms`.padEnd(33) + `${round(embeddedRestore1kMs, 1)} ms`);
    console.log(`mosquitto  ${mosquittoStartMs === null ? 'null' : `${round(mosquittoStartMs, 1)} ms`}`.padEnd(33) + (mosquittoRestore1kMs === null ? `null (${mosquittoNull ?? ''})` : `${round(mosquittoRestore1kMs, 1)} ms`));
    const figures = {
      embeddedStartMs: round(embeddedStartMs, 1),
      mosquittoStartMs: mosquittoStartMs === null ? null : round(mosquittoStartMs, 1),
      mosquittoVsEmbedded: mosquittoStartMs === null ? null : round(mosquittoStartMs / embeddedStartMs, 2),
      embeddedRestore1kMs: round(embeddedRestore1kMs, 1),
      mosquittoRestore1kMs: mosquittoRestore1kMs === null ? null : round(mosquittoRestore1kMs, 1),
      ...(mosquittoNull === undefined ? {} : { mosquittoNull }),
    };
    console.log(JSON.stringify(figures));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
