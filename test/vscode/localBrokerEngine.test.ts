// Inside the real extension host: which engine the local broker runs (mosquitto is installed on the test host,
// so "auto" picks it), MQTT 5 on it, its data kept across Stop/Start, its process gone after Stop, and the
// sentences for a mosquittoPath that is not mosquitto and for a mosquitto that exits at start.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { connectClient, endClient } from '../helpers/clients';
import { freePort } from '../helpers/ports';
import { logMark, waitForLogInfo, waitForUserMessage } from './userMessages';

const start = (argument?: unknown): Thenable<string | undefined> => vscode.commands.executeCommand<string | undefined>('mqttWorkbench.startLocalBroker', argument);
const stop = (): Thenable<boolean> => vscode.commands.executeCommand<boolean>('mqttWorkbench.stopLocalBroker');
const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('mqttWorkbench.localBroker');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not become true in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Local broker engines (extension host)', function () {
  this.timeout(60_000);
  let dir = '';

  before(async () => {
    await vscode.extensions.getExtension('mqtt-workbench.mqtt-workbench')?.activate();
    dir = await mkdtemp(join(tmpdir(), 'mqttwb-engine-host-'));
  });

  after(async () => {
    await stop();
    await settings().update('mosquittoPath', undefined, vscode.ConfigurationTarget.Global);
    await rm(dir, { recursive: true, force: true });
  });

  it('auto runs mosquitto: MQTT 5 with user properties, a retained message survives Stop/Start, Stop ends the process', async () => {
    const port = await freePort();
    let mark = logMark();
    const url = await start({ port });
    assert.equal(url, `mqtt://127.0.0.1:${port}`);
    const started = await waitForLogInfo(/mosquitto \d+\.\d+ \(pid (\d+)\) started in \d+ ms; data in (.+)$/, mark);
    const pid = Number(/\(pid (\d+)\)/.exec(started)?.[1]);
    assert.ok(isAlive(pid), 'mosquitto runs');
    const { client, inbox } = await connectClient(url, { protocolVersion: 5 });
    await client.subscribeAsync('host/#', { qos: 1 });
    await client.publishAsync('host/kept', 'across restarts', { qos: 1, retain: true, properties: { userProperties: { from: 'extension host' } } });
    const [message] = await inbox.waitFor(1);
    assert.deepEqual({ ...message.packet.properties?.userProperties }, { from: 'extension host' });
    await endClient(client);

    assert.equal(await stop(), true);
    assert.equal(isAlive(pid), false, 'the mosquitto process is gone after Stop');
    mark = logMark();
    assert.equal(await start({ port }), url);
    await waitForLogInfo(/mosquitto \d+\.\d+ \(pid \d+\) started/, mark);
    const again = await connectClient(url, { protocolVersion: 5 });
    try {
      await again.client.subscribeAsync('host/kept', { qos: 1 });
      const [kept] = await again.inbox.waitFor(1);
      assert.equal(kept.payload.toString(), 'across restarts');
    } finally {
      await endClient(again.client);
      await stop();
    }
  });

  it('engine "embedded" runs aedes, which refuses an MQTT 5 client', async () => {
    const port = await freePort();
    const mark = logMark();
    const url = await start({ port, engine: 'embedded' });
    assert.ok(url);
    await waitForLogInfo(/aedes started in \d+ ms/, mark);
    const refused = await connectClient(url, { protocolVersion: 5 }).then(
      () => 'connected',
      (error: Error) => error.message,
    );
    assert.match(refused, /Unsupported protocol version|unacceptable protocol version/i);
    await stop();
  });

  it('a damaged mosquitto database: the first line of its error, and nothing runs', async () => {
    const port = await freePort();
    let mark = logMark();
    await start({ port });
    const started = await waitForLogInfo(/mosquitto \d+\.\d+ \(pid \d+\) started in \d+ ms; data in (.+)$/, mark);
    await stop();
    const dataDir = /data in (.+)$/.exec(started)?.[1] ?? '';
    await writeFile(join(dataDir, 'mosquitto.db'), 'not a mosquitto database');
    mark = logMark();
    assert.equal(await start({ port }), undefined);
    await waitForUserMessage('mosquitto did not start: Error: Unable to restore persistent database. Unrecognised file format.', mark);
    assert.equal(await stop(), false, 'no broker runs');
    await rm(join(dataDir, 'mosquitto.db'), { force: true });
  });

  it('a mosquittoPath that is not mosquitto is named; nothing starts', async () => {
    const fake = join(dir, 'fake-mosquitto');
    await writeFile(fake, '#!/bin/sh\necho "usage: something else"\n', { mode: 0o755 });
    await settings().update('mosquittoPath', fake, vscode.ConfigurationTarget.Global);
    await waitUntil(() => settings().get('mosquittoPath') === fake);
    const mark = logMark();
    assert.equal(await start({ port: await freePort() }), undefined);
    await waitForUserMessage(`${fake} is not mosquitto (it did not print "mosquitto version"). Point the setting mqttWorkbench.localBroker.mosquittoPath at the mosquitto program.`, mark);
    assert.equal(await stop(), false);
    await settings().update('mosquittoPath', undefined, vscode.ConfigurationTarget.Global);
  });
});
