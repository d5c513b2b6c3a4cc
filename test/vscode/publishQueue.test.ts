// Inside the real extension host: publishing while a connection is down queues (the count comes back from the
// command and the queue file is in the workspace storage), connecting drains it in order, and 100 QoS 1
// messages saved by the extension are drained by a fresh ConnectionOutboxes over the same storage folder,
// which is what the next window does after a reload (the test cannot deactivate the extension it runs in).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { parseProfile } from '../../src/core/profile';
import { Session } from '../../src/core/session';
import { ConnectionOutboxes } from '../../src/host/outboxes';
import type { Logger } from '../../src/host/log';
import { startMosquitto, type Broker } from '../helpers/broker';
import { eventually, profileFiles, recorder, workbenchApi } from './publishHelpers';

const QUEUE = 'Queue broker';
const SURVIVOR = 'Queue survivor';

/** The queue file the extension keeps for a connection in its workspace storage. */
async function queueFile(connection: string): Promise<string | undefined> {
  const suffix = `/outbox/${encodeURIComponent(connection)}.json`;
  return (await profileFiles()).find((f) => f.endsWith(suffix));
}

async function savedTopics(connection: string): Promise<string[]> {
  const file = await queueFile(connection);
  if (!file) return [];
  const saved = JSON.parse(await readFile(file, 'utf8')) as { entries: Array<{ topic: string }> };
  return saved.entries.map((e) => e.topic);
}

const quietLog: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quietLog };

describe('Offline queue (extension host)', function () {
  this.timeout(90_000);
  let broker: Broker;
  let sub: Awaited<ReturnType<typeof recorder>>;

  before(async () => {
    broker = await startMosquitto();
    for (const name of [QUEUE, SURVIVOR]) {
      assert.equal(await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name, host: '127.0.0.1', port: broker.port, target: 'workspace' }), name);
    }
    sub = await recorder(broker.url(), 'q/#');
  });

  after(async () => {
    await sub?.close();
    await (await workbenchApi()).disconnect(QUEUE);
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await broker?.stop();
  });

  it('publishing while disconnected queues with the count; connecting drains in order', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await vscode.commands.executeCommand<string>('mqttWorkbench.publish', { connection: QUEUE, topic: `q/${i}`, payload: `m${i}`, qos: 1 }));
    assert.deepEqual(results, ['Queued (1 waiting)', 'Queued (2 waiting)', 'Queued (3 waiting)']);
    assert.deepEqual(await savedTopics(QUEUE), ['q/0', 'q/1', 'q/2'], 'QoS 1 messages are saved in the workspace storage');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(sub.received, [], 'nothing was sent while disconnected');

    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.connect', QUEUE), true);
    await eventually(() => sub.received.length === 3, 'the drained queue');
    assert.deepEqual(sub.received, ['q/0|m0', 'q/1|m1', 'q/2|m2']);
    await eventually(async () => (await queueFile(QUEUE)) === undefined, 'the queue file to be removed once acknowledged');
    const direct = await vscode.commands.executeCommand<string>('mqttWorkbench.publish', { connection: QUEUE, topic: 'q/now', payload: 'now', qos: 1 });
    assert.match(direct ?? '', /^Acknowledged in \d+ ms$/, 'connected and nothing waiting: sent at once');
  });

  it('100 QoS 1 messages queued by the extension survive into a new queue owner over the same storage, and drain once, in order', async () => {
    sub.received.length = 0;
    for (let i = 0; i < 100; i++) {
      const result = await vscode.commands.executeCommand<string>('mqttWorkbench.publish', { connection: SURVIVOR, topic: `q/s/${i}`, payload: String(i), qos: 1 });
      assert.equal(result, `Queued (${i + 1} waiting)`);
    }
    const file = await queueFile(SURVIVOR);
    assert.ok(file, 'the queue file exists');
    assert.equal((await savedTopics(SURVIVOR)).length, 100);
    // The extension's copy of this queue must not send too: remove the profile so it can never connect.
    const config = vscode.workspace.getConfiguration('mqttWorkbench');
    const profiles = config.inspect<Array<{ name?: unknown }>>('connections')?.workspaceValue ?? [];
    await config.update('connections', profiles.filter((p) => p.name !== SURVIVOR), vscode.ConfigurationTarget.Workspace);

    const storage = vscode.Uri.file(dirname(dirname(file)));
    const reloaded = new ConnectionOutboxes(storage, quietLog);
    try {
      await reloaded.restore();
      assert.equal(reloaded.count(SURVIVOR), 100, 'all 100 restored');
      const parsed = parseProfile({ name: SURVIVOR, host: '127.0.0.1', port: broker.port }, 'connections[0]');
      assert.ok(parsed.profile);
      const session = new Session(parsed.profile, { clientId: 'wb-survivor' });
      try {
        reloaded.attach(SURVIVOR, session);
        await session.connect();
        await eventually(() => sub.received.length >= 100, '100 drained messages', 30_000);
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(sub.received, Array.from({ length: 100 }, (_, i) => `q/s/${i}|${i}`), 'each once, in order');
        await eventually(async () => (await queueFile(SURVIVOR)) === undefined, 'the queue file to be removed');
      } finally {
        session.dispose();
      }
    } finally {
      reloaded.dispose();
    }
  });
});
