// Inside the real extension host: subscribe/unsubscribe commands with arguments, a refused subscription's
// reason, and the topic tree of a live connection as the API reports it.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MqttWorkbenchApi } from '../../src/host/api';
import type { SubscriptionStatus } from '../../src/core/subscriptions';
import { startMosquitto, type Broker } from '../helpers/broker';
import { dynamicSecurity } from '../helpers/dynsec';
import * as mqtt from 'mqtt';

async function api(): Promise<MqttWorkbenchApi> {
  const extension = vscode.extensions.getExtension<MqttWorkbenchApi>('mqtt-workbench.mqtt-workbench');
  assert.ok(extension);
  return extension.activate();
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Topics and subscriptions (extension host)', function () {
  this.timeout(60_000);
  let broker: Broker;
  let guarded: Broker;

  before(async () => {
    broker = await startMosquitto();
    guarded = await startMosquitto({ extraConfig: await dynamicSecurity(await mkdtemp(join(tmpdir(), 'wb-dynsec-')), 'dev', 'pw-dynsec', ['public/#']) });
    for (const [name, port, extra] of [
      ['Topics broker', broker.port, {}],
      ['Guarded broker', guarded.port, { username: 'dev', password: 'pw-dynsec' }],
    ] as const) {
      const added = await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name, host: '127.0.0.1', port, target: 'workspace', ...extra });
      assert.equal(added, name);
    }
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.connect', 'Topics broker'), true);
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.connect', 'Guarded broker'), true);
  });

  after(async () => {
    const workbench = await api();
    await workbench.disconnect('Topics broker');
    await workbench.disconnect('Guarded broker');
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await broker?.stop();
    await guarded?.stop();
  });

  it('subscribe with arguments, then the topic tree holds what devices publish, with counts and retained flags', async () => {
    const workbench = await api();
    const status = await vscode.commands.executeCommand<SubscriptionStatus>('mqttWorkbench.subscribe', { connection: 'Topics broker', filter: 'site/#', qos: 1, retainAsPublished: true });
    assert.equal(status?.filter, 'site/#');
    await waitFor(() => workbench.state('Topics broker').kind === 'connected', 'connected');
    for (let i = 0; i < 30; i++) await workbench.publish('Topics broker', `site/dev${i % 3}/temp`, String(20 + i), { qos: 1 });
    await workbench.publish('Topics broker', 'site/dev0/status', 'online', { qos: 1, retain: true });
    await workbench.publish('Topics broker', 'site//empty-level', 'x', { qos: 1 });
    await waitFor(() => workbench.topics('Topics broker').length === 5, 'five topics');
    const topics = workbench.topics('Topics broker');
    assert.deepEqual(
      topics.map((t) => [t.topic, t.messageCount, t.retained]),
      [
        ['site//empty-level', 1, false],
        ['site/dev0/status', 1, true],
        ['site/dev0/temp', 10, false],
        ['site/dev1/temp', 10, false],
        ['site/dev2/temp', 10, false],
      ],
    );
    assert.equal(Buffer.from(topics[4].lastPayload ?? []).toString(), '49');
  });

  it('QoS 1 messages from another client arrive while the connection is otherwise quiet', async () => {
    const workbench = await api();
    const device = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'vscode-test-device', reconnectPeriod: 0 });
    await new Promise((resolve, reject) => device.once('connect', resolve).once('error', reject));
    await new Promise((r) => setTimeout(r, 1000));
    const started = Date.now();
    for (let i = 0; i < 3; i++) await device.publishAsync(`site/quiet/q${i}`, `m${i}`, { qos: 1 });
    await waitFor(() => workbench.topics('Topics broker').filter((t) => t.topic.startsWith('site/quiet/')).length === 3, 'the three QoS 1 messages', 10_000);
    console.log(`quiet QoS 1 delivery took ${Date.now() - started} ms`);
    await device.endAsync();
  });

  it('an invalid filter is refused with its reason and nothing is subscribed', async () => {
    const result = await vscode.commands.executeCommand('mqttWorkbench.subscribe', { connection: 'Topics broker', filter: 'a/#/b', qos: 1 });
    assert.equal(result, undefined);
    const wrongType = await vscode.commands.executeCommand('mqttWorkbench.subscribe', { connection: 'Topics broker', filter: 'ok/#', qos: '1' });
    assert.equal(wrongType, undefined);
    const unknown = await vscode.commands.executeCommand('mqttWorkbench.subscribe', { connection: 'Nope', filter: 'ok/#' });
    assert.equal(unknown, undefined);
  });

  it('a subscription the broker refuses carries the reason by name', async () => {
    const refused = await vscode.commands.executeCommand<SubscriptionStatus>('mqttWorkbench.subscribe', { connection: 'Guarded broker', filter: 'secret/#', qos: 1 });
    assert.equal(refused?.state, 'refused');
    assert.equal(refused?.error, 'Not authorized (0x87)');
    const allowed = await vscode.commands.executeCommand<SubscriptionStatus>('mqttWorkbench.subscribe', { connection: 'Guarded broker', filter: 'public/#', qos: 1 });
    assert.equal(allowed?.state, 'active');
  });

  it('Save to Profile writes the subscription into the connection settings', async () => {
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.saveSubscriptionToProfile', { connection: 'Guarded broker', filter: 'public/#' }), true);
    const saved = vscode.workspace.getConfiguration('mqttWorkbench').inspect<Array<Record<string, unknown>>>('connections')?.workspaceValue ?? [];
    assert.deepEqual(saved.find((p) => p.name === 'Guarded broker')?.subscriptions, [{ filter: 'public/#', qos: 1 }]);
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.saveSubscriptionToProfile', { connection: 'Guarded broker', filter: 'nope/#' }), false);
  });

  it('unsubscribe with arguments stops delivery', async () => {
    const workbench = await api();
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.unsubscribe', { connection: 'Topics broker', filter: 'site/#' }), true);
    const before = workbench.topics('Topics broker').reduce((n, t) => n + t.messageCount, 0);
    await workbench.publish('Topics broker', 'site/dev0/temp', '99', { qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(workbench.topics('Topics broker').reduce((n, t) => n + t.messageCount, 0), before);
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.unsubscribe', { connection: 'Topics broker', filter: 'site/#' }), false, 'a second unsubscribe reports there is none');
  });
});
