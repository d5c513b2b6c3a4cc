// Inside the real extension host: a rule from the workspace settings fires (its notification text is logged
// with the same sentence), lists in the Alerts API, and its publish action reaches the broker; a watch's value
// updates; a wrong rule is reported with its path.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MqttWorkbenchApi } from '../../src/host/api';
import type { MonitorApi } from '../../src/host/monitor/monitorApi';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient, type Connected } from '../helpers/clients';
import { logMark, waitForLog, waitForSettingsProblem, waitForUserMessage } from './userMessages';

const NAME = 'Monitor broker';

async function waitFor<T>(what: string, read: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Watches and alerts (extension host)', function () {
  this.timeout(90_000);
  let broker: Broker;
  let device: Connected;
  let api: (MqttWorkbenchApi & MonitorApi) | undefined;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('mqttWorkbench');

  before(async () => {
    broker = await startMosquitto();
    device = await connectClient(broker.url());
    await device.client.subscribeAsync('lab/cmd', { qos: 1 });
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name: NAME, host: '127.0.0.1', port: broker.port, target: 'workspace' }), NAME);
    api = await vscode.extensions.getExtension<MqttWorkbenchApi & MonitorApi>('mqtt-workbench.mqtt-workbench')?.activate();
    await waitForLog();
  });

  after(async () => {
    await config().update('alerts', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('watches', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await endClient(device.client);
    await broker?.stop();
  });

  it('a rule from settings fires a notification, lists the alert and its action publishes; a watch updates', async () => {
    await config().update('alerts', [{ name: 'Lab too hot', topic: 'lab/temp', path: 't', when: { above: 50 }, cooldownSeconds: 600, action: { publish: { topic: 'lab/cmd', payload: 'cool down from {value}', qos: 1 } } }], vscode.ConfigurationTarget.Workspace);
    await config().update('watches', [{ topic: 'lab/temp', path: 't', unit: '°C' }], vscode.ConfigurationTarget.Workspace);
    await api?.connect(NAME);
    await api?.subscribe(NAME, 'lab/#', { qos: 1 });
    const mark = logMark();

    await device.client.publishAsync('lab/temp', '{"t":21}', { qos: 1 });
    const watch = await waitFor('the watch value', () => api?.watches().find((w) => w.value === '21'));
    assert.match(watch.description, /^21 °C · (now|\d+ s)$/);

    await device.client.publishAsync('lab/temp', '{"t":64.5}', { qos: 1 });
    // The notification's text is logged as a warning line with the same sentence.
    await waitForSettingsProblem('ALERT Lab too hot: lab/temp t is 64.5 (above 50) [Monitor broker]', mark, 15_000);
    const alert = await waitFor('the alert in the list', () => api?.alerts().find((a) => a.rule === 'Lab too hot'));
    assert.deepEqual([alert.value, alert.topic, alert.connection, alert.clearedAt], ['64.5', 'lab/temp', NAME, undefined]);
    const [recovery] = await device.inbox.waitFor(1, 15_000);
    assert.equal(recovery?.payload.toString(), 'cool down from 64.5');
    const updated = await waitFor('the watch statistics', () => api?.watches().find((w) => w.value === '64.5'));
    assert.match(updated.description, /^64\.5 °C ↑ · (now|\d+ s) · min 21 max 64\.5 avg 42\.75$/);
  });

  it('an action that fails says so and the alert still lists', async () => {
    const mark = logMark();
    await config().update('alerts', [{ name: 'Broken action', topic: 'lab/door', when: { equals: 'open' }, action: { command: 'mqttWorkbench.noSuchCommand' } }], vscode.ConfigurationTarget.Workspace);
    // Published until the rule (read when the setting changed) has seen it: it fires once, later ones match silently.
    const opener = setInterval(() => void device.client.publishAsync('lab/door', 'open', { qos: 1 }), 300);
    await waitFor('the alert', () => api?.alerts().find((a) => a.rule === 'Broken action')).finally(() => clearInterval(opener));
    await waitForUserMessage(/The action of alert rule "Broken action" failed: command 'mqttWorkbench\.noSuchCommand' not found$/, mark, 15_000);
    assert.ok(api?.alerts().some((a) => a.rule === 'Broken action' && a.clearedAt === undefined));
  });

  it('a wrong rule is reported with its path and a sentence; the others keep working', async () => {
    const mark = logMark();
    await config().update('alerts', [{ name: 'Percent', topic: 'lab/temp', when: { above: '80%' } }, { name: 'Fine', topic: 'lab/x', when: { equals: 'bad' } }], vscode.ConfigurationTarget.Workspace);
    await waitForSettingsProblem('alerts[0].when.above: must be a number, not the string "80%"', mark);
    assert.deepEqual(api?.monitorProblems(), ['alerts[0].when.above: must be a number, not the string "80%"']);
  });
});

