// Both engines of the local broker as clients see them: the embedded aedes and a mosquitto child process. What
// must survive a stop/start (retained messages, a persistent session's queue), $SYS for monitoring, MQTT 5 on
// mosquitto, and no mosquitto left behind after stop or after the process that started it is SIGKILLed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { AEDES_SNAPSHOT_FILE, LocalBroker } from '../../src/core/localBroker';
import type { LocalBrokerEngine } from '../../src/core/localBrokerEngine';
import { MosquittoBroker } from '../../src/core/mosquittoBroker';
import { findMosquittoOnPath, locateMosquitto, probeMosquitto, type MosquittoProgram } from '../../src/core/mosquittoProbe';
import { connectClient, type Connected } from '../helpers/clients';
import { freePort } from '../helpers/ports';
import { failureMessage, makeSession, closeSessions, waitUntil } from '../helpers/sessions';

let dir = '';
let program: MosquittoProgram;
const engines: LocalBrokerEngine[] = [];
const clients: Connected[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqttwb-engines-'));
  const path = findMosquittoOnPath();
  assert.ok(path, 'mosquitto is installed on the test host');
  program = await probeMosquitto(path, 'mqttWorkbench.localBroker.mosquittoPath');
});

after(() => rm(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const { client } of clients.splice(0)) client.end(true);
  closeSessions();
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

/** True while the process runs (a zombie that nobody reaped yet counts as gone: it holds no port, runs no code). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function client(url: string, version: 4 | 5, options: { clientId?: string; clean?: boolean } = {}): Promise<Connected> {
  // MQTT 5 ends a session at disconnect unless the client asks for an expiry interval.
  const expiry = version === 5 && options.clean === false ? { properties: { sessionExpiryInterval: 3600 } } : {};
  const connected = await connectClient(url, { protocolVersion: version, ...options, ...expiry });
  clients.push(connected);
  return connected;
}

const makers: Record<'embedded' | 'mosquitto', (name: string) => LocalBrokerEngine> = {
  embedded: () => new LocalBroker(),
  mosquitto: (name) => new MosquittoBroker({ program, configFile: join(dir, name, 'mosquitto.conf') }),
};

for (const [engineName, make] of Object.entries(makers)) {
  const version = engineName === 'mosquitto' ? 5 : 4;
  describe(`local broker engine: ${engineName}`, () => {
    async function start(name: string): Promise<{ engine: LocalBrokerEngine; url: string; port: number; dataDir: string }> {
      const engine = make(name);
      engines.push(engine);
      const dataDir = join(dir, name, 'data');
      const address = await engine.start({ port: await freePort(), host: '127.0.0.1', dataDir });
      return { engine, url: address.url, port: address.port, dataDir };
    }

    test('a retained message and a persistent session survive stop/start; $SYS counts the clients', async () => {
      const { engine, url, port, dataDir } = await start(`${engineName}-persist`);
      const away = await client(url, version, { clientId: `${engineName}-away`, clean: false });
      await away.client.subscribeAsync('lab/queue', { qos: 1 });
      await waitUntil(() => engine.clientCount === 1, 15_000);
      away.client.end(true);
      await waitUntil(() => engine.clientCount === 0, 15_000);
      const publisher = await client(url, version);
      await publisher.client.publishAsync('lab/status', 'online', { qos: 1, retain: true });
      await publisher.client.publishAsync('lab/queue', 'while you were away', { qos: 1 });

      const monitor = await client(url, version);
      await monitor.client.subscribeAsync(['$SYS/broker/clients/connected', '$SYS/broker/uptime', '$SYS/broker/messages/received'], { qos: 0 });
      await waitUntil(() => monitor.inbox.messages.some((m) => m.topic === '$SYS/broker/uptime' && /^\d+ seconds$/.test(m.payload.toString())), 15_000);
      await waitUntil(() => monitor.inbox.messages.some((m) => m.topic === '$SYS/broker/clients/connected' && Number(m.payload.toString()) >= 2), 15_000);
      await waitUntil(() => monitor.inbox.messages.some((m) => m.topic === '$SYS/broker/messages/received' && Number(m.payload.toString()) >= 2), 15_000);

      await engine.stop();
      assert.equal(engine.address, undefined);
      await engine.start({ port, host: '127.0.0.1', dataDir });

      const late = await client(url, version);
      await late.client.subscribeAsync('lab/status', { qos: 1 });
      const [retained] = await late.inbox.waitFor(1);
      assert.equal(`${retained.topic}=${retained.payload.toString()}`, 'lab/status=online');
      assert.equal(retained.packet.retain, true);

      const back = await client(url, version, { clientId: `${engineName}-away`, clean: false });
      assert.equal(back.connack.sessionPresent, true, 'the session was restored');
      const [queued] = await back.inbox.waitFor(1);
      assert.equal(`${queued.topic}=${queued.payload.toString()}`, 'lab/queue=while you were away');
    });

    test('without a data folder nothing is kept', async () => {
      const engine = make(`${engineName}-memory`);
      engines.push(engine);
      const port = await freePort();
      const { url } = await engine.start({ port, host: '127.0.0.1' });
      const publisher = await client(url, version);
      await publisher.client.publishAsync('lab/forgotten', 'x', { qos: 1, retain: true });
      await engine.stop();
      await engine.start({ port, host: '127.0.0.1' });
      const late = await client(url, version);
      // A subscription's retained messages come before anything published after it on this connection.
      await late.client.subscribeAsync('lab/#', { qos: 1 });
      await late.client.publishAsync('lab/marker', 'now', { qos: 1 });
      await late.inbox.waitFor(1);
      assert.deepEqual(late.inbox.messages.map((m) => m.topic), ['lab/marker']);
    });
  });
}

describe('local broker engine: mosquitto only', () => {
  test('speaks MQTT 5 (user properties arrive), and its process is gone after stop', async () => {
    const engine = new MosquittoBroker({ program, configFile: join(dir, 'v5', 'mosquitto.conf') });
    engines.push(engine);
    const { url } = await engine.start({ port: 0, host: '127.0.0.1' });
    assert.equal(engine.protocolVersion, '5');
    assert.match(engine.label, /^mosquitto \d+\.\d+$/);
    const pid = engine.pid;
    assert.ok(pid !== undefined && isAlive(pid));
    const session = makeSession({ port: Number(new URL(url).port), protocolVersion: '5' });
    await session.connect();
    const peer = await client(url, 5);
    await peer.client.subscribeAsync('v5/#', { qos: 1 });
    await peer.client.publishAsync('v5/props', 'x', { qos: 1, properties: { userProperties: { device: 'lab-1' } } });
    const [message] = await peer.inbox.waitFor(1);
    assert.deepEqual({ ...message.packet.properties?.userProperties }, { device: 'lab-1' });
    await engine.stop();
    assert.equal(isAlive(pid), false, 'mosquitto exited');
  });

  test('a busy port gets the embedded broker sentence; a mosquitto that exits at start, the first line of its error; a crash is reported', async () => {
    const port = await freePort();
    const first = new MosquittoBroker({ program, configFile: join(dir, 'busy1', 'mosquitto.conf') });
    engines.push(first);
    await first.start({ port, host: '127.0.0.1' });
    const second = new MosquittoBroker({ program, configFile: join(dir, 'busy2', 'mosquitto.conf') });
    engines.push(second);
    assert.equal(await failureMessage(second.start({ port, host: '127.0.0.1' })), `Port ${port} on 127.0.0.1 is already in use. Stop the other broker or choose another port in the setting mqttWorkbench.localBroker.port.`);
    const dataDir = join(dir, 'damaged');
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'mosquitto.db'), 'not a mosquitto database');
    assert.equal(await failureMessage(second.start({ port: 0, host: '127.0.0.1', dataDir })), 'mosquitto did not start: Error: Unable to restore persistent database. Unrecognised file format.');
    assert.equal(second.address, undefined);

    const crashes: string[] = [];
    first.onCrash((sentence) => crashes.push(sentence));
    const pid = first.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => crashes.length === 1);
    assert.equal(crashes[0], 'The local broker (mosquitto) stopped unexpectedly: it exited with SIGKILL');
    assert.equal(first.address, undefined);
  });

  test('a program that is not mosquitto, and a missing one, are told apart', async () => {
    const fake = join(dir, 'not-mosquitto.sh');
    await writeFile(fake, '#!/bin/sh\necho "hello"\n', { mode: 0o755 });
    assert.equal(await failureMessage(probeMosquitto(fake, 'mqttWorkbench.localBroker.mosquittoPath')), `${fake} is not mosquitto (it did not print "mosquitto version"). Point the setting mqttWorkbench.localBroker.mosquittoPath at the mosquitto program.`);
    const missing = join(dir, 'nowhere', 'mosquitto');
    assert.equal(await failureMessage(probeMosquitto(missing, 'mqttWorkbench.localBroker.mosquittoPath')), `mosquitto was not found at ${missing}. Install mosquitto or correct the setting mqttWorkbench.localBroker.mosquittoPath.`);
    const nowhere = { configuredPath: '', setting: 'mqttWorkbench.localBroker.mosquittoPath', pathVariable: join(dir, 'nowhere'), usualFolders: [] };
    assert.equal(await locateMosquitto({ ...nowhere, required: false }), undefined, 'auto: none found, the embedded broker runs');
    assert.equal(await failureMessage(locateMosquitto({ ...nowhere, required: true })), 'mosquitto was not found on PATH. Install mosquitto, set mqttWorkbench.localBroker.mosquittoPath, or use the embedded broker.');
    assert.equal((await locateMosquitto({ ...nowhere, pathVariable: undefined, usualFolders: undefined, required: true }))?.version, program.version);
  });

  test('a damaged snapshot of the embedded broker is named, and it does not start', async () => {
    const dataDir = join(dir, 'damaged-aedes');
    await mkdir(dataDir, { recursive: true });
    const file = join(dataDir, AEDES_SNAPSHOT_FILE);
    await writeFile(file, '{"version":1,"retained":[{"topic":3}]');
    const broker = new LocalBroker();
    engines.push(broker);
    assert.equal(await failureMessage(broker.start({ port: 0, host: '127.0.0.1', dataDir })), `The saved data of the local broker (${file}) is damaged. Run "MQTT: Clear Local Broker Data" to start afresh.`);
    assert.equal(broker.address, undefined);
  });

  test('no orphan: mosquitto dies with the process that started it when that one is SIGKILLed', async () => {
    const host = spawn(process.execPath, [join(__dirname, '..', 'helpers', 'mosquittoHost.js'), join(dir, 'orphan', 'mosquitto.conf'), String(await freePort())], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    host.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    host.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitUntil(() => output.includes('\n') || host.exitCode !== null, 20_000);
      const { pid } = JSON.parse(output.split('\n')[0]) as { pid: number };
      assert.ok(isAlive(pid), `mosquitto ${pid} runs`);
      host.kill('SIGKILL');
      await waitUntil(() => !isAlive(pid), 10_000);
    } finally {
      host.kill('SIGKILL');
    }
  });
});
