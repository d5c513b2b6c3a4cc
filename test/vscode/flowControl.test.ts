// Inside the real extension host, against a real mosquitto: the API rejects (never throws) for a connection that
// is unknown, down or invalid; a missing certificate file is named with the connection; Clear Retained Subtree
// takes { connection, topic, confirm: false } from a keybinding or task; an empty retained message published
// through the API clears the retained marker of the Topics view and api.topics().
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient } from '../helpers/clients';
import { eventually, expectReported, workbenchApi } from './publishHelpers';

const LIVE = 'Flow broker';
const DOWN = 'Flow down';
const BROKEN = 'Flow broken';
const MISSING_CA = 'Flow missing CA';

/** A call that must not throw synchronously: it returns a promise, and that promise rejects with `message`. */
async function rejectsWith(call: () => Promise<unknown>, message: string): Promise<void> {
  let promise: Promise<unknown> | undefined;
  assert.doesNotThrow(() => {
    promise = call();
  }, 'the API returns a rejected promise instead of throwing');
  assert.ok(promise instanceof Promise);
  await assert.rejects(promise, { message });
}

describe('MQTT 5 flow control and error states (extension host)', function () {
  this.timeout(90_000);
  let broker: Broker;

  before(async () => {
    broker = await startMosquitto();
    for (const [name, port] of [[LIVE, broker.port], [DOWN, broker.port]] as const) {
      assert.equal(await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name, host: '127.0.0.1', port, protocolVersion: '5', target: 'workspace' }), name);
    }
    const config = vscode.workspace.getConfiguration('mqttWorkbench');
    const saved = config.inspect<unknown[]>('connections')?.workspaceValue ?? [];
    await config.update(
      'connections',
      [...saved, { name: BROKEN, host: '127.0.0.1', port: 'x' }, { name: MISSING_CA, protocol: 'mqtts', host: '127.0.0.1', port: 8883, tls: { ca: 'flow-certs/missing-ca.pem' } }],
      vscode.ConfigurationTarget.Workspace,
    );
    const workbench = await workbenchApi();
    await eventually(() => workbench.connectionNames().includes(MISSING_CA), 'the profiles from settings');
    await workbench.connect(LIVE);
  });

  after(async () => {
    await (await workbenchApi()).disconnect(LIVE);
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await broker?.stop();
  });

  it('publish, subscribe and unsubscribe reject for an unknown, a disconnected and an invalid connection', async () => {
    const workbench = await workbenchApi();
    await rejectsWith(() => workbench.publish('Nobody', 'a/b', 'x'), 'There is no connection named "Nobody".');
    await rejectsWith(() => workbench.subscribe(DOWN, 'a/#'), `"${DOWN}" is not connected. Connect it first.`);
    await rejectsWith(() => workbench.unsubscribe(DOWN, 'a/#'), `"${DOWN}" is not connected. Connect it first.`);
    const profileProblem = `"${BROKEN}" cannot connect: connections[2].port: must be a whole number, not the string "x"`;
    await rejectsWith(() => workbench.publish(BROKEN, 'a/b', 'x'), profileProblem);
    await rejectsWith(() => workbench.subscribe(BROKEN, 'a/#'), profileProblem);
  });

  it('a certificate file that does not exist is named with the connection, like the other profile problems', async () => {
    const workbench = await workbenchApi();
    await rejectsWith(() => workbench.connect(MISSING_CA), `"${MISSING_CA}" cannot connect: connections[3].tls.ca: file not found: flow-certs/missing-ca.pem`);
  });

  it('Clear Retained Subtree with { connection, topic, confirm: false } clears what the Topics view knows, without a dialog', async () => {
    const workbench = await workbenchApi();
    const device = await connectClient(broker.url(), { protocolVersion: 5 });
    for (const topic of ['plant/a/state', 'plant/b/state', 'plant/b/deep/x']) await device.client.publishAsync(topic, 'on', { qos: 1, retain: true });
    await workbench.subscribe(LIVE, 'plant/#', { qos: 1 });
    await eventually(() => workbench.topics(LIVE).filter((t) => t.topic.startsWith('plant/') && t.retained).length === 3, 'three retained topics');
    const summary = await vscode.commands.executeCommand('mqttWorkbench.clearRetainedSubtree', { connection: LIVE, topic: 'plant', confirm: false });
    assert.equal(summary, 'Cleared 3 retained messages under "plant".');
    assert.deepEqual(workbench.topics(LIVE).filter((t) => t.retained).map((t) => t.topic), [], 'no topic is marked retained any more');
    // A new subscriber gets no retained message: the broker really has none.
    const probe = await connectClient(broker.url(), { protocolVersion: 5 });
    const retained: string[] = [];
    const marker = new Promise<void>((resolve) => {
      probe.client.on('message', (topic, payload, packet) => {
        if (packet.retain && payload.length > 0) retained.push(topic);
        if (topic === 'plant/end') resolve();
      });
    });
    await probe.client.subscribeAsync('plant/#', { qos: 1 });
    await probe.client.publishAsync('plant/end', 'marker', { qos: 1 });
    await marker;
    assert.deepEqual(retained, []);
    await endClient(probe.client);
    await endClient(device.client);
  });

  it('Clear Retained Subtree arguments are checked with a sentence', async () => {
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.clearRetainedSubtree', { connection: LIVE, topic: 'plant/+', confirm: false }), undefined);
    await expectReported('clearRetainedSubtree', 'Nothing was cleared: clearRetainedSubtree.topic: Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.');
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.clearRetainedSubtree', { connection: LIVE, topic: 'never/seen', confirm: false }), undefined);
    await expectReported('clearRetainedSubtree', 'No retained messages are known at or below "never/seen".');
  });

  it('an empty retained message published through the API clears the retained marker', async () => {
    const workbench = await workbenchApi();
    const device = await connectClient(broker.url(), { protocolVersion: 5 });
    await device.client.publishAsync('lamp/1', 'lit', { qos: 1, retain: true });
    await endClient(device.client);
    await workbench.subscribe(LIVE, 'lamp/#', { qos: 1 });
    await eventually(() => workbench.topics(LIVE).some((t) => t.topic === 'lamp/1' && t.retained), 'lamp/1 marked retained');
    await workbench.publish(LIVE, 'lamp/1', '', { qos: 1, retain: true });
    await eventually(() => workbench.topics(LIVE).some((t) => t.topic === 'lamp/1' && !t.retained), 'lamp/1 no longer marked retained');
  });
});
